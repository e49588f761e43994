using System.Security.Cryptography;
using System.Text;

namespace TTMall.PaymentProvider;

/// <summary>The sandbox's settings, section <c>Provider</c>.</summary>
public sealed class ProviderOptions
{
    public const string Section = "Provider";

    /// <summary>Shortest API key accepted: a guessable key would make the "third party" open to anyone.</summary>
    public const int MinApiKeyLength = 16;

    /// <summary>
    /// The one API key callers send as <c>Authorization: Bearer</c>. A secret given by the AppHost (or a test); there
    /// is no default, so a provider without one does not start.
    /// </summary>
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// The key of the HMAC that stands for card data wherever a request must be recognised again (the Idempotency-Key
    /// fingerprint): derived from the API key, so it is as secret as that, and a plain hash of a card number, which has
    /// few enough unknown digits to be guessed from its last four, is never stored.
    /// </summary>
    public byte[] CardFingerprintKey() => HMACSHA256.HashData(Encoding.UTF8.GetBytes(ApiKey), "TT Mall provider card fingerprint"u8);
}
