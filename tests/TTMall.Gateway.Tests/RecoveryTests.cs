using Xunit.Abstractions;

namespace TTMall.Gateway.Tests;

/// <summary>A replica that failed requests for a moment and recovered is taken back at its next passed health probe.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RecoveryTests(MallCluster cluster, ITestOutputHelper output)
{
    /// <summary>
    /// A probe every second (Gateway:HealthCheckInterval) with a 1 s timeout; the probe that brings it back must have
    /// been sent after its last failed request, so at worst the second probe after that: 2 s, and a little slack.
    /// The passive health period it would otherwise wait out is 5 s (Gateway:ReactivationPeriod).
    /// </summary>
    private static readonly TimeSpan BackWithin = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task A_replica_that_refused_connections_for_a_moment_gets_traffic_again_at_its_next_health_probe_not_after_the_passive_health_period()
    {
        await cluster.EnsureAllRunningAsync();
        // products-3 is reached through a port that the test can make refuse connections, while discovery keeps
        // listing it UP all along: only the gateways' own health checks can take it out and bring it back.
        FlakyPort? flaky = null;
        var blinking = await cluster.StartExtraProductsReplicaAsync("products-3", port => (flaky = FlakyPort.Start(port)).Port);
        try
        {
            using var door = new FrontDoor(cluster.Gateways);
            var traffic = ShopTraffic.Start(door.Client, cluster.ProductIds, new TrafficMix(Gets: 3, IdempotentPosts: 0));
            await using (traffic)
            {
                await Eventually.HoldsAsync(() => cluster.Gateways.All(g => traffic.Exchanges.Any(e => e.Gateway == g.Name && e.Instance == blinking.Name)),
                    TimeSpan.FromSeconds(10), $"{blinking.Name} serves through both gateways", cluster.Diagnostics);

                // Refused until every gateway has run into it (a loaded machine may send it nothing in a fixed 200 ms).
                var refused = DateTime.UtcNow;
                await flaky!.RefuseAsync(TimeSpan.FromMilliseconds(200),
                    () => cluster.Gateways.All(g => g.Lines.Any(l => l.Text.Contains("failed a request", StringComparison.Ordinal) && l.Text.Contains($":{flaky.Port}/", StringComparison.Ordinal))),
                    atMost: TimeSpan.FromSeconds(5));
                var accepting = DateTime.UtcNow;
                var back = new Dictionary<string, Exchange>();
                await Eventually.HoldsAsync(() =>
                    {
                        foreach (var gateway in cluster.Gateways.Where(g => !back.ContainsKey(g.Name)))
                        {
                            if (traffic.Exchanges.Where(e => e.Gateway == gateway.Name && e.Instance == blinking.Name && e.SentUtc >= accepting).MinBy(e => e.EndedUtc) is { } first)
                            {
                                back[gateway.Name] = first;
                            }
                        }

                        return back.Count == cluster.Gateways.Count;
                    },
                    TimeSpan.FromSeconds(10), $"{blinking.Name} serves again through both gateways", cluster.Diagnostics);
                await traffic.StopAsync();

                var failedMeanwhile = cluster.Gateways.SelectMany(g => g.Lines)
                    .Count(l => l.Text.Contains("failed a request", StringComparison.Ordinal) && l.Text.Contains($":{flaky.Port}/", StringComparison.Ordinal));
                foreach (var (gateway, first) in back)
                {
                    output.WriteLine($"refused {refused:HH:mm:ss.fff}–{accepting:HH:mm:ss.fff}; first answer through {gateway} after that: " +
                        $"{(first.EndedUtc - accepting).TotalMilliseconds:0} ms after it accepted connections again");
                }

                output.WriteLine($"requests: {traffic.Exchanges.Count}, {traffic.Failures.Count} failed; requests the gateways saw fail on it: {failedMeanwhile}");
                Assert.True(traffic.Failures.Count == 0, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{cluster.Diagnostics()}");
                Assert.True(failedMeanwhile > 0, "no gateway sent it a request while it refused connections: nothing was tested");
                Assert.All(back, b => Assert.True(b.Value.EndedUtc - accepting <= BackWithin,
                    $"{b.Key} sent {blinking.Name} nothing for {(b.Value.EndedUtc - accepting).TotalMilliseconds:0} ms after it accepted connections again\n{cluster.Diagnostics()}"));
            }
        }
        finally
        {
            // Gracefully: it leaves discovery, and the next test finds the cluster as it was.
            await blinking.StopAsync();
            await blinking.DisposeAsync();
            if (flaky is not null)
            {
                await flaky.DisposeAsync();
            }
        }
    }
}
