using System.Collections.Concurrent;

namespace TTMall.Bench.Gateway;

/// <summary>One request of the <see cref="Sampler"/> and which replica answered it (X-TTMall-Instance).</summary>
public sealed record Sample(DateTime SentUtc, DateTime EndedUtc, int? Status, string? Instance);

/// <summary>
/// A light stream of product-detail GETs beside wrk's load (one every few milliseconds), recording which replica
/// answered each: wrk counts answers, not who gave them.
/// </summary>
public sealed class Sampler : IAsyncDisposable
{
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private Sampler(Uri baseUri, IReadOnlyList<int> ids, TimeSpan every)
    {
        _loop = Task.Run(() => LoopAsync(baseUri, ids, every));
    }

    public static Sampler Start(Uri baseUri, IReadOnlyList<int> ids, TimeSpan? every = null) => new(baseUri, ids, every ?? TimeSpan.FromMilliseconds(5));

    public IReadOnlyList<Sample> Samples => [.. _samples];

    /// <summary>Share of the successful answers each replica gave, in percent.</summary>
    public IReadOnlyDictionary<string, double> Shares()
    {
        var answered = _samples.Where(s => s.Status == 200 && s.Instance is not null).ToList();
        return answered.GroupBy(s => s.Instance!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => 100.0 * g.Count() / Math.Max(1, answered.Count));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync(Uri baseUri, IReadOnlyList<int> ids, TimeSpan every)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var sent = DateTime.UtcNow;
            try
            {
                using var response = await http.GetAsync($"api/products/{ids[i % ids.Count]}", _stop.Token);
                await response.Content.ReadAsByteArrayAsync(_stop.Token);
                _samples.Enqueue(new Sample(sent, DateTime.UtcNow, (int)response.StatusCode,
                    response.Headers.TryGetValues("X-TTMall-Instance", out var names) ? names.First() : null));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                _samples.Enqueue(new Sample(sent, DateTime.UtcNow, null, null));
            }

            try
            {
                await Task.Delay(every, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
