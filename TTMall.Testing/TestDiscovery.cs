using System.Net.Http.Headers;
using System.Security.Cryptography;
using TTMall.Eureka;

namespace TTMall.Testing;

/// <summary>
/// The discovery credentials of a test run: one random secret, given to every <see cref="DiscoveryPeer"/>, and the
/// credentials derived from it as the AppHost derives them (<see cref="DiscoveryCredentials"/>).
/// </summary>
public static class TestDiscovery
{
    public static readonly string Secret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 48);

    /// <summary>Each of the service URLs (comma-separated) with <paramref name="app"/>'s credential in it, as the AppHost gives them.</summary>
    public static string ServiceUrls(string serviceUrls, string app) =>
        string.Join(",", serviceUrls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => DiscoveryCredentials.AppServiceUrl(url, Secret, app)));

    /// <summary>HTTP Basic as <paramref name="app"/>'s instances send it.</summary>
    public static AuthenticationHeaderValue App(string app) =>
        DiscoveryCredentials.Basic(app.ToUpperInvariant(), DiscoveryCredentials.AppPassword(Secret, app));

    /// <summary>
    /// What the rightful sender of a write puts in it: the peers' credential with the replication header, otherwise that of
    /// the application the path names (…/apps/{app}/…); null when it names none.
    /// </summary>
    public static AuthenticationHeaderValue? Owner(string path, bool replication)
    {
        if (replication)
        {
            return Peer;
        }

        var segments = path.Split('?')[0].Split('/');
        var apps = Array.IndexOf(segments, "apps");
        return apps >= 0 && apps + 1 < segments.Length && segments[apps + 1].Length > 0 ? App(Uri.UnescapeDataString(segments[apps + 1])) : null;
    }

    /// <summary>HTTP Basic as the peers send it.</summary>
    public static AuthenticationHeaderValue Peer { get; } =
        DiscoveryCredentials.Basic(DiscoveryCredentials.PeerUser, DiscoveryCredentials.PeerPassword(Secret));
}

/// <summary>Gives each write without a credential the one its rightful sender would send (<see cref="TestDiscovery.Owner"/>).</summary>
public sealed class OwnerCredentialHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && request.RequestUri is { } uri)
        {
            request.Headers.Authorization ??= TestDiscovery.Owner(uri.AbsolutePath, request.Headers.Contains("x-netflix-discovery-replication"));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
