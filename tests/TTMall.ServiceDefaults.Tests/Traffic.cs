using System.Collections.Concurrent;
using System.Net;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>Steady traffic through a client: a few loops, each sending its request as soon as the last one answered.</summary>
internal sealed class Traffic : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
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
            try
            {
                using var response = await http.SendAsync(request, _stop.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _succeeded);
                }
                else
                {
                    _failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {request.Method} {(int)response.StatusCode}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {request.Method} {e.GetType().Name}: {e.Message}");
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
