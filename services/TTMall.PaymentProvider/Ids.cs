using System.Security.Cryptography;

namespace TTMall.PaymentProvider;

/// <summary>Ids as card networks' APIs show them: a prefix saying what it is and random, unguessable digits.</summary>
public static class Ids
{
    public const string ChargePrefix = "ch_";

    public static string NewCharge() => New(ChargePrefix);

    /// <summary>
    /// Whether <paramref name="id"/> has a charge id's form; anything else cannot be one and is not looked up (a NUL,
    /// which Postgres refuses in text, would otherwise become a 500).
    /// </summary>
    public static bool IsCharge(string id) =>
        id.Length == ChargePrefix.Length + 24 && id.StartsWith(ChargePrefix, StringComparison.Ordinal) && id[ChargePrefix.Length..].All(char.IsAsciiHexDigitLower);

    public static string NewRefund() => New("re_");

    private static string New(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
