using Microsoft.Extensions.Options;
using TTMall.Eureka.Client;

namespace TTMall.Discovery.Registry;

/// <summary>Removes instances whose lease ran out (no heartbeat within its duration), every EvictionIntervalMs.</summary>
public sealed class Eviction(IOptions<DiscoveryOptions> options, InstanceRegistry registry, TimeProvider time, ILogger<Eviction> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("Eviction", TimeSpan.FromMilliseconds(options.Value.EvictionIntervalMs), _ =>
        {
            foreach (var evicted in registry.EvictExpired())
            {
                logger.LogInformation("Evicted {App}/{Id}: no heartbeat for {Duration} s.", evicted.App, evicted.InstanceId, evicted.LeaseInfo.DurationInSecs);
            }

            return Task.CompletedTask;
        }, logger, time, stoppingToken);
}
