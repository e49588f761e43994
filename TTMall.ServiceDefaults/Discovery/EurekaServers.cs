using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace TTMall.ServiceDefaults.Discovery;

/// <summary>
/// Talks to the Eureka servers with failover: a request goes to the server that last answered; when it does not
/// answer (connection, timeout or 5xx), the next one in the list is tried, and so on once round.
/// </summary>
public sealed class EurekaServers : IDisposable
{
    private readonly IReadOnlyList<Uri> _servers;
    private readonly HttpClient _http;
    private int _current;

    public EurekaServers(IOptions<EurekaClientOptions> options)
    {
        _servers = options.Value.ServerUris;
        // Not from IHttpClientFactory: the mall's default handlers (service discovery, retries with back-off)
        // must not sit between a client and its registry; failing over to the next server is the retry here.
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(1),
            AutomaticDecompression = DecompressionMethods.GZip,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public IReadOnlyList<Uri> Servers => _servers;

    /// <summary>Sends the request made by <paramref name="create"/> (given a server's base URL) to the servers in turn.</summary>
    /// <exception cref="HttpRequestException">No server answered.</exception>
    public async Task<HttpResponseMessage> SendAsync(Func<Uri, HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        Exception? last = null;
        var start = Volatile.Read(ref _current);
        for (var attempt = 0; attempt < _servers.Count; attempt++)
        {
            var index = (start + attempt) % _servers.Count;
            try
            {
                using var request = create(_servers[index]);
                var response = await _http.SendAsync(request, cancellationToken);
                if ((int)response.StatusCode < 500)
                {
                    Volatile.Write(ref _current, index);
                    return response;
                }

                last = new HttpRequestException($"{_servers[index]} answered {(int)response.StatusCode}", null, response.StatusCode);
                response.Dispose();
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e;
            }
        }

        throw new HttpRequestException($"No Eureka server answered ({string.Join(", ", _servers)}): {last?.Message}", last);
    }

    public void Dispose() => _http.Dispose();
}
