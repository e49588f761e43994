using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace TTMall.Eureka;

/// <summary>
/// The credentials that writes to the registry need, all derived from one secret (the AppHost's
/// <c>discovery-secret</c> parameter), so the peers check any application's credential without a list of them:
/// <list type="bullet">
/// <item>an application's: user = its name, password = base64url(HMAC-SHA256(secret, "eureka-app:" + NAME)), NAME upper-case
/// as Eureka names applications; it writes that application's instances only;</item>
/// <item>the peers': user = <see cref="PeerUser"/>, password = base64url(HMAC-SHA256(secret, "eureka-peer")); only it may replicate.</item>
/// </list>
/// base64url without padding, the secret and the label as UTF-8. <c>./mall eureka-url</c> computes the same in bash.
/// </summary>
public static class DiscoveryCredentials
{
    /// <summary>'~' is in no application name (InstanceRules), so no application can be mistaken for a peer.</summary>
    public const string PeerUser = "discovery~peer";

    /// <summary>The realm in WWW-Authenticate.</summary>
    public const string Realm = "TT Mall discovery";

    /// <summary>Shorter secrets are refused: the credentials are only as strong as the secret.</summary>
    public const int MinSecretLength = 32;

    public static string AppPassword(string secret, string app) => Derive(secret, "eureka-app:" + app.ToUpperInvariant());

    public static string PeerPassword(string secret) => Derive(secret, "eureka-peer");

    /// <summary>Whether <paramref name="given"/> is <paramref name="expected"/>, in time that does not depend on where they differ.</summary>
    public static bool SamePassword(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>A service URL (<c>http://localhost:8761/eureka/</c>) with the credential in it, as Eureka clients take one.</summary>
    public static string WithUserInfo(string serviceUrl, string user, string password) =>
        new UriBuilder(serviceUrl) { UserName = Uri.EscapeDataString(user), Password = Uri.EscapeDataString(password) }.Uri.AbsoluteUri;

    /// <summary>An application's service URL with its credential.</summary>
    public static string AppServiceUrl(string serviceUrl, string secret, string app) =>
        WithUserInfo(serviceUrl, app.ToUpperInvariant(), AppPassword(secret, app));

    /// <summary>The Basic header for a user and password (UTF-8, as RFC 7617 allows).</summary>
    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>
    /// Splits a service URL into the URL without its user info, safe to log, and the Basic header the user info
    /// stands for (null when it has none).
    /// </summary>
    public static (Uri Url, AuthenticationHeaderValue? Authorization) SplitUserInfo(Uri serviceUrl)
    {
        if (string.IsNullOrEmpty(serviceUrl.UserInfo))
        {
            return (serviceUrl, null);
        }

        var colon = serviceUrl.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? serviceUrl.UserInfo : serviceUrl.UserInfo[..colon]);
        var password = colon < 0 ? "" : Uri.UnescapeDataString(serviceUrl.UserInfo[(colon + 1)..]);
        var bare = new UriBuilder(serviceUrl) { UserName = "", Password = "" }.Uri;
        return (bare, Basic(user, password));
    }

    private static string Derive(string secret, string label) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(label)));
}
