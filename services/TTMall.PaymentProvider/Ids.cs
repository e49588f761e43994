using System.Security.Cryptography;

namespace TTMall.PaymentProvider;

/// <summary>Ids as card networks' APIs show them: a prefix saying what it is and random, unguessable digits.</summary>
public static class Ids
{
    public static string NewCharge() => New("ch_");

    public static string NewRefund() => New("re_");

    private static string New(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
