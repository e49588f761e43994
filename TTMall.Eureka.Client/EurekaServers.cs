using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using TTMall.Eureka;

namespace TTMall.Eureka.Client;

/// <summary>
/// Talks to the Eureka servers with failover: a request goes to the server that last answered; when it does not
/// answer (connection, timeout or 5xx), the next one in the list is tried, and so on once round. A service URL's user
/// info (<c>http://APP:password@localhost:8761/eureka/</c>) goes to that server as HTTP Basic on every request, and is
/// never part of a URL this class hands out, logs or puts in an exception.
/// </summary>
public sealed class EurekaServers : IDisposable
{
    private readonly IReadOnlyList<Uri> _servers;
    private readonly IReadOnlyList<AuthenticationHeaderValue?> _credentials;
    private readonly HttpClient _http;
    private int _current;

    public EurekaServers(IOptions<EurekaClientOptions> options)
    {
        var servers = options.Value.ServerUris.Select(DiscoveryCredentials.SplitUserInfo).ToList();
        _servers = [.. servers.Select(s => s.Url)];
        _credentials = [.. servers.Select(s => s.Authorization)];
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
            // Responses are read whole before anyone parses them: without this bound a server (or a gzip bomb) could
            // fill this process's memory up to HttpClient's default of 2 GB before the document's own limit is checked.
            MaxResponseContentBufferSize = EurekaJson.MaxDocumentBytes,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The servers' URLs, without their credentials.</summary>
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
                request.Headers.Authorization = _credentials[index];
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
