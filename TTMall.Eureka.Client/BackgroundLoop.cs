using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TTMall.Eureka.Client;

/// <summary>
/// A loop that runs in the background for the life of the process (heartbeats, registry fetches, probes, eviction).
/// Whatever one of its steps throws is logged and the loop goes on after a back-off: an exception escaping a
/// background service would stop the whole host, and one bad input must never do that.
/// </summary>
public static class BackgroundLoop
{
    private static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="step"/> every <paramref name="interval"/> until <paramref name="stoppingToken"/> fires, the
    /// first time after <paramref name="firstAfter"/> (at once by default). After a step that throws, the next waits
    /// twice as long as the last did (at most 30 s); the first success resets it.
    /// </summary>
    public static async Task RunAsync(
        string name, TimeSpan interval, Func<CancellationToken, Task> step, ILogger logger, TimeProvider time, CancellationToken stoppingToken,
        TimeSpan firstAfter = default)
    {
        if (firstAfter > TimeSpan.Zero && !await DelayAsync(firstAfter, time, stoppingToken))
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = interval;
            try
            {
                await step(stoppingToken);
                if (failures > 0)
                {
                    logger.LogInformation("{Loop} works again after {Failures} failed rounds.", name, failures);
                    failures = 0;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                wait = BackOff(interval, failures);
                // The first failure in full; then every time the number of failures doubles, so a lasting fault is seen but not repeated.
                if ((failures & (failures - 1)) == 0)
                {
                    logger.LogError(e, "{Loop} failed ({Failures} in a row); it goes on in {Wait} ms.", name, failures, (int)wait.TotalMilliseconds);
                }
            }

            if (!await DelayAsync(wait, time, stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>Waits until the host has started (its hosted services' start, migrations included, is over).</summary>
    /// <returns>False when the host stops first.</returns>
    public static async Task<bool> HostStartedAsync(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <returns>False when stopped meanwhile.</returns>
    private static async Task<bool> DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static TimeSpan BackOff(TimeSpan interval, int failures)
    {
        var first = Math.Max(interval.TotalMilliseconds, 100);
        return TimeSpan.FromMilliseconds(Math.Min(LongestBackOff.TotalMilliseconds, first * Math.Pow(2, Math.Min(failures, 16))));
    }
}
