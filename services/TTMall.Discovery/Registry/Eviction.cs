using Microsoft.Extensions.Options;

namespace TTMall.Discovery.Registry;

/// <summary>Removes instances whose lease ran out (no heartbeat within its duration), every EvictionIntervalMs.</summary>
public sealed class Eviction(IOptions<DiscoveryOptions> options, InstanceRegistry registry, TimeProvider time, ILogger<Eviction> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.EvictionIntervalMs), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var evicted in registry.EvictExpired())
                {
                    logger.LogInformation("Evicted {App}/{Id}: no heartbeat for {Duration} s.", evicted.App, evicted.InstanceId, evicted.LeaseInfo.DurationInSecs);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
