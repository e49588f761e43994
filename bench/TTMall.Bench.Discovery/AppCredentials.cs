using TTMall.Eureka;

namespace TTMall.Bench.Discovery;

/// <summary>
/// Gives each write to the registry the credential of the application its path names (<c>…/apps/{APP}/…</c>), as
/// that application's own instances would send it; reads go as they are (the registry serves them to anyone).
/// </summary>
public sealed class AppCredentials(string secret, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && request.RequestUri is { } uri && App(uri) is { } app)
        {
            request.Headers.Authorization ??= DiscoveryCredentials.Basic(app, DiscoveryCredentials.AppPassword(secret, app));
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static string? App(Uri uri)
    {
        var segments = uri.AbsolutePath.Split('/');
        var apps = Array.IndexOf(segments, "apps");
        return apps >= 0 && apps + 1 < segments.Length && segments[apps + 1].Length > 0
            ? Uri.UnescapeDataString(segments[apps + 1]).ToUpperInvariant()
            : null;
    }
}
