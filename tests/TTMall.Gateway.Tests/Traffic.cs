using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace TTMall.Gateway.Tests;

public enum RequestKind
{
    /// <summary>GET /api/products/{id}: 200 expected.</summary>
    Get,

    /// <summary>POST /api/products/{id}/reviews as a new user, with an Idempotency-Key: 201 expected.</summary>
    IdempotentPost,

    /// <summary>The same POST without an Idempotency-Key: the gateway may never repeat it.</summary>
    PlainPost,
}

/// <summary>One request and what came of it. Times are UTC, as the services' log lines are.</summary>
public sealed record Exchange(RequestKind Kind, string Path, DateTime SentUtc, DateTime EndedUtc, int? Status, string? Instance, string? Gateway, string? Error)
{
    public bool Succeeded => Error is null && Status == (Kind == RequestKind.Get ? 200 : 201);

    public override string ToString() =>
        $"{SentUtc:HH:mm:ss.fff}–{EndedUtc:HH:mm:ss.fff} {Kind} {Path}: {(Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-")} " +
        $"instance={Instance ?? "-"} gateway={Gateway ?? "-"}{(Error is null ? "" : " error=" + Error)}";
}

/// <summary>How many loops of each kind, and how long each loop pauses between its requests.</summary>
public sealed record TrafficMix(int Gets = 3, int IdempotentPosts = 1, int PlainPosts = 0)
{
    /// <summary>
    /// Steady, not flat out: about (loops × 1000 / pause) requests a second at most, well under the gateways' per-client
    /// rate limit (every request comes from 127.0.0.1), and leaving the two cores to the processes under test.
    /// </summary>
    public TimeSpan Pause { get; init; } = TimeSpan.FromMilliseconds(10);
}

/// <summary>
/// Steady shop traffic through <paramref name="http"/>: product detail GETs, and reviews POSTed each by a new user
/// (so each is answered 201), with and without an Idempotency-Key. Every exchange is recorded.
/// </summary>
public sealed class Traffic : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly IReadOnlyList<int> _productIds;
    private readonly ConcurrentQueue<Exchange> _exchanges = new();
    private readonly List<Task> _loops = [];
    private volatile bool _stopping;
    private int _next;

    private Traffic(HttpClient http, IReadOnlyList<int> productIds)
    {
        _http = http;
        _productIds = productIds;
    }

    public static Traffic Start(HttpClient http, IReadOnlyList<int> productIds, TrafficMix mix)
    {
        var traffic = new Traffic(http, productIds);
        var kinds = Enumerable.Repeat(RequestKind.Get, mix.Gets)
            .Concat(Enumerable.Repeat(RequestKind.IdempotentPost, mix.IdempotentPosts))
            .Concat(Enumerable.Repeat(RequestKind.PlainPost, mix.PlainPosts));
        foreach (var kind in kinds)
        {
            traffic._loops.Add(Task.Run(() => traffic.LoopAsync(kind, mix.Pause)));
        }

        return traffic;
    }

    public IReadOnlyList<Exchange> Exchanges => [.. _exchanges];

    public IReadOnlyList<Exchange> Failures => [.. _exchanges.Where(e => !e.Succeeded)];

    /// <summary>Sends no new request, and returns once those in flight have been answered.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public int ServedBy(string instance, DateTime? since = null) =>
        _exchanges.Count(e => e.Instance == instance && e.Succeeded && e.SentUtc >= (since ?? DateTime.MinValue));

    public static string Describe(IEnumerable<Exchange> exchanges, int max = 30)
    {
        var list = exchanges.ToList();
        return string.Join("\n", list.Take(max)) + (list.Count > max ? $"\n… and {list.Count - max} more" : "");
    }

    private async Task LoopAsync(RequestKind kind, TimeSpan pause)
    {
        while (!_stopping)
        {
            var id = _productIds[(Interlocked.Increment(ref _next) & int.MaxValue) % _productIds.Count];
            _exchanges.Enqueue(await SendAsync(kind, id));
            await Task.Delay(pause);
        }
    }

    private async Task<Exchange> SendAsync(RequestKind kind, int productId)
    {
        var path = kind == RequestKind.Get ? $"api/products/{productId}" : $"api/products/{productId}/reviews";
        using var request = new HttpRequestMessage(kind == RequestKind.Get ? HttpMethod.Get : HttpMethod.Post, path);
        if (kind != RequestKind.Get)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(TestTokens.NewUser("shopper")));
            request.Content = JsonContent.Create(new { rating = 4, text = "Arrived quickly, works as described." });
            if (kind == RequestKind.IdempotentPost)
            {
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            }
        }

        var sent = DateTime.UtcNow;
        try
        {
            using var response = await _http.SendAsync(request);
            // The whole body: a response cut off half-way is a failure too.
            await response.Content.ReadAsByteArrayAsync();
            return new Exchange(kind, path, sent, DateTime.UtcNow, (int)response.StatusCode,
                Header(response, "X-TTMall-Instance"), Header(response, "X-TTMall-Gateway"), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return new Exchange(kind, path, sent, DateTime.UtcNow, null, null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>
/// The mall's front door in front of the gateway replicas, as the orchestrator's proxy is at :8080: connections are
/// spread over the gateways in turn, and a gateway that refuses a connection is passed over for the next.
/// </summary>
public sealed class FrontDoor : IDisposable
{
    private readonly IReadOnlyList<ServiceProcess> _gateways;
    private int _next;

    public FrontDoor(IReadOnlyList<ServiceProcess> gateways)
    {
        _gateways = gateways;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };

        Client = new HttpClient(handler) { BaseAddress = new Uri("http://mall.test/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var first = Interlocked.Increment(ref _next) & int.MaxValue;
        Exception? last = null;
        for (var i = 0; i < _gateways.Count; i++)
        {
            var port = _gateways[(first + i) % _gateways.Count].Port;
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw last ?? new InvalidOperationException("no gateways");
    }
}
