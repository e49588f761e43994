using System.Net;
using Microsoft.Extensions.Options;
using TTMall.Eureka;

namespace TTMall.Discovery.Replication;

/// <summary>
/// The HTTP client peers talk to each other with. Not from IHttpClientFactory: the mall's default handlers would put a
/// circuit breaker between the peers, whose open circuit throws an exception of its own while a peer is away; the
/// replicator's own back-off is the retry here. Every request carries the peers' credential.
/// </summary>
public sealed class PeerClient(IOptions<DiscoveryOptions> options) : IDisposable
{
    public HttpClient Http { get; } = Create(options.Value.Secret);

    public void Dispose() => Http.Dispose();

    private static HttpClient Create(string secret) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(1),
        AutomaticDecompression = DecompressionMethods.GZip,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = TimeSpan.FromSeconds(5),
        DefaultRequestHeaders = { Authorization = DiscoveryCredentials.Basic(DiscoveryCredentials.PeerUser, DiscoveryCredentials.PeerPassword(secret)) },
    };
}
