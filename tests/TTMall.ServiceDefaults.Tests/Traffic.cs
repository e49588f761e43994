using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using TTMall.Eureka.Client;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>A request that failed: when it was sent and ended (Stopwatch timestamps), and how.</summary>
internal sealed record TrafficFailure(HttpMethod Method, long Sent, long Ended, int? Status, string Error, bool ConnectFailure)
{
    public override string ToString() => $"{DateTime.UtcNow - Stopwatch.GetElapsedTime(Ended):HH:mm:ss.fff} {Method} {Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Error}";
}

/// <summary>Steady traffic through a client: a few loops, each sending its request as soon as the last one answered.</summary>
internal sealed class Traffic : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<TrafficFailure> _failures = new();
    private readonly Task[] _loops;
    private int _succeeded;

    /// <summary>One loop per request factory.</summary>
    public Traffic(HttpClient http, params Func<HttpRequestMessage>[] loops)
    {
        _loops = [.. loops.Select(request => Task.Run(() => LoopAsync(http, request)))];
    }

    /// <summary>GETs of <paramref name="url"/> in two loops.</summary>
    public Traffic(HttpClient http, string url)
        : this(http, () => new HttpRequestMessage(HttpMethod.Get, url), () => new HttpRequestMessage(HttpMethod.Get, url))
    {
    }

    public int Succeeded => Volatile.Read(ref _succeeded);

    public int Failed => _failures.Count;

    public string Failures => string.Join("\n", _failures);

    public IReadOnlyList<TrafficFailure> FailureList => [.. _failures];

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync(HttpClient http, Func<HttpRequestMessage> create)
    {
        while (!_stop.IsCancellationRequested)
        {
            using var request = create();
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request, _stop.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _succeeded);
                }
                else
                {
                    _failures.Enqueue(new TrafficFailure(request.Method, sent, Stopwatch.GetTimestamp(), (int)response.StatusCode, "", ConnectFailure: false));
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _failures.Enqueue(new TrafficFailure(request.Method, sent, Stopwatch.GetTimestamp(), null, $"{e.GetType().Name}: {e.Message}",
                    UnreachableEndpointReporter.IsConnectFailure(e)));
            }

            // A little breath between requests, so two cores still have room for everyone else.
            try
            {
                await Task.Delay(5, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
