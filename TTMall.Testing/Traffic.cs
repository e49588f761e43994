using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using TTMall.ServiceDefaults.Http;

namespace TTMall.Testing;

/// <summary>One loop of <see cref="Traffic"/>: the request it sends again and again, and the status that counts as success.</summary>
/// <param name="Kind">What reports call these requests, e.g. <c>GET</c>.</param>
public sealed record TrafficLoop(string Kind, Func<HttpRequestMessage> Request, HttpStatusCode Expected = HttpStatusCode.OK)
{
    /// <summary>GETs of <paramref name="url"/>, 200 expected.</summary>
    public static TrafficLoop Get(string url) => new("GET", () => new HttpRequestMessage(HttpMethod.Get, url));
}

/// <summary>One request and what came of it. Times are UTC, as the services' log lines are.</summary>
/// <param name="Instance">Which replica answered (its X-TTMall-Instance header).</param>
/// <param name="Gateway">Which gateway passed it on (its X-TTMall-Gateway header).</param>
/// <param name="ConnectFailure">No answer because no connection could be made: the request was never sent.</param>
public sealed record Exchange(
    string Kind, HttpMethod Method, string Path, DateTime SentUtc, DateTime EndedUtc, HttpStatusCode Expected,
    int? Status, string? Instance, string? Gateway, string? Error, bool ConnectFailure)
{
    public bool Succeeded => Error is null && Status == (int)Expected;

    public override string ToString() =>
        $"{SentUtc:HH:mm:ss.fff}–{EndedUtc:HH:mm:ss.fff} {Kind} {Path}: {Status?.ToString(CultureInfo.InvariantCulture) ?? "-"} " +
        $"instance={Instance ?? "-"} gateway={Gateway ?? "-"}{(Error is null ? "" : " error=" + Error)}";
}

/// <summary>
/// Steady traffic through a client: a few loops, each sending its next request a moment after the last one was
/// answered, so a test sees what every request met while it kills, stops or freezes what serves them. Every exchange
/// is recorded.
/// </summary>
public sealed class Traffic : IAsyncDisposable
{
    /// <summary>A little breath between requests, so two cores still have room for everyone else.</summary>
    public static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(5);

    private readonly HttpClient _http;
    private readonly ConcurrentQueue<Exchange> _exchanges = new();
    private readonly List<Task> _loops = [];
    private volatile bool _stopping;

    private Traffic(HttpClient http)
    {
        _http = http;
    }

    /// <summary>One loop per <paramref name="loops"/>, each pausing <paramref name="pause"/> (<see cref="DefaultPause"/>) between its requests.</summary>
    public static Traffic Start(HttpClient http, IEnumerable<TrafficLoop> loops, TimeSpan? pause = null)
    {
        var traffic = new Traffic(http);
        foreach (var loop in loops)
        {
            traffic._loops.Add(Task.Run(() => traffic.LoopAsync(loop, pause ?? DefaultPause)));
        }

        return traffic;
    }

    /// <summary>GETs of <paramref name="url"/> in two loops.</summary>
    public static Traffic Start(HttpClient http, string url) => Start(http, [TrafficLoop.Get(url), TrafficLoop.Get(url)]);

    public IReadOnlyList<Exchange> Exchanges => [.. _exchanges];

    public IReadOnlyList<Exchange> Failures => [.. _exchanges.Where(e => !e.Succeeded)];

    public int Succeeded => _exchanges.Count(e => e.Succeeded);

    /// <summary>Sends no new request, and returns once those in flight have been answered.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>How many requests sent since <paramref name="since"/> <paramref name="instance"/> answered with success.</summary>
    public int ServedBy(string instance, DateTime? since = null) =>
        _exchanges.Count(e => e.Instance == instance && e.Succeeded && e.SentUtc >= (since ?? DateTime.MinValue));

    /// <summary>The exchanges one a line, the first <paramref name="max"/> of them, for failure messages.</summary>
    public static string Describe(IEnumerable<Exchange> exchanges, int max = 30)
    {
        var list = exchanges.ToList();
        return string.Join("\n", list.Take(max)) + (list.Count > max ? $"\n… and {list.Count - max} more" : "");
    }

    private async Task LoopAsync(TrafficLoop loop, TimeSpan pause)
    {
        while (!_stopping)
        {
            _exchanges.Enqueue(await SendAsync(loop));
            await Task.Delay(pause);
        }
    }

    private async Task<Exchange> SendAsync(TrafficLoop loop)
    {
        using var request = loop.Request();
        var path = request.RequestUri?.OriginalString ?? "";
        var sent = DateTime.UtcNow;
        try
        {
            using var response = await _http.SendAsync(request);
            // The whole body: a response cut off half-way is a failure too.
            await response.Content.ReadAsByteArrayAsync();
            return new Exchange(loop.Kind, request.Method, path, sent, DateTime.UtcNow, loop.Expected, (int)response.StatusCode,
                Header(response, "X-TTMall-Instance"), Header(response, "X-TTMall-Gateway"), null, ConnectFailure: false);
        }
        catch (Exception e)
        {
            return new Exchange(loop.Kind, request.Method, path, sent, DateTime.UtcNow, loop.Expected, null, null, null,
                $"{e.GetType().Name}: {e.Message}", RepeatableRequests.NothingWasSent(e));
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
