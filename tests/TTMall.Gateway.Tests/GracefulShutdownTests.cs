using Xunit.Abstractions;

namespace TTMall.Gateway.Tests;

/// <summary>
/// A replica asked to stop (SIGTERM, as an orchestrator stops it) first leaves discovery, then serves what is in
/// flight, then exits: nobody sees it go, not even a plain POST that no one may repeat.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GracefulShutdownTests(MallCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_products_replica_stopped_under_traffic_leaves_discovery_before_it_exits_and_no_request_fails()
    {
        await cluster.EnsureAllRunningAsync();
        var leaving = cluster.Replica("products-1");
        using var door = new FrontDoor(cluster.Gateways);
        var traffic = ShopTraffic.Start(door.Client, cluster.ProductIds, new TrafficMix(Gets: 3, IdempotentPosts: 1, PlainPosts: 1));
        await using (traffic)
        {
            await cluster.EveryReplicaServesAsync(traffic);

            var asked = DateTime.UtcNow;
            var stopping = leaving.StopAsync();
            await Eventually.HoldsAsync(async () =>
                    (await Task.WhenAll(cluster.Peers.Select(p => MallCluster.InstanceAsync(p, "PRODUCTS", leaving.Name)))).All(i => i is null),
                TimeSpan.FromSeconds(3), $"{leaving.Name} gone from both peers", cluster.Diagnostics);
            var seenGone = DateTime.UtcNow;
            var runningAfterLeaving = leaving.IsRunning;
            var exitCode = await stopping;
            var exited = leaving.ExitedAtUtc ?? DateTime.UtcNow;
            // When the replica had its cancellation answered, by its own log: the test's polling of the peers only
            // bounds that from above (and lags when the machine is busy).
            var left = leaving.Lines.Where(l => l.Text.Contains("Left the registry", StringComparison.Ordinal)).Select(MallService.LoggedAt).FirstOrDefault()
                ?? throw new Xunit.Sdk.XunitException($"{leaving.Name} did not log leaving the registry:\n{leaving.Log}");

            // On until the gateways route around it for good, and a little more: enough plain POSTs after the exit to
            // tell (counted as well as timed: on a busy machine the same second carries less traffic).
            await Task.Delay(TimeSpan.FromSeconds(1));
            await Eventually.HoldsAsync(() => traffic.Exchanges.Count(e => e.SentUtc >= exited && e.Kind == RequestKind.PlainPost) > 10,
                TimeSpan.FromSeconds(10), "traffic goes on after the exit", cluster.Diagnostics);
            await traffic.StopAsync();

            var served = traffic.Exchanges.Where(e => e.Instance == leaving.Name && e.SentUtc >= asked).ToList();
            output.WriteLine($"SIGTERM → left the registry: {(left - asked).TotalMilliseconds:0} ms (seen gone from both peers {(seenGone - asked).TotalMilliseconds:0} ms); " +
                $"→ exited: {(exited - asked).TotalMilliseconds:0} ms (exit code {exitCode})");
            output.WriteLine($"requests: {traffic.Exchanges.Count}, {traffic.Failures.Count} failed; answered by {leaving.Name} after SIGTERM: {served.Count}" +
                $" (last sent {(served.Count == 0 ? "-" : $"{(served.Max(e => e.SentUtc) - asked).TotalMilliseconds:0} ms")} after it)");

            Assert.True(traffic.Failures.Count == 0, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{cluster.Diagnostics()}");
            Assert.True(runningAfterLeaving, $"{leaving.Name} exited before it had left discovery:\n{leaving.Log}");
            Assert.Equal(0, exitCode);
            Assert.True(exited - left >= MallCluster.DrainTime / 2, $"{leaving.Name} exited {(exited - left).TotalMilliseconds:0} ms after leaving discovery; it should serve on for {MallCluster.DrainTime.TotalSeconds} s");
            Assert.True(traffic.Exchanges.Count(e => e.SentUtc >= exited && e.Kind == RequestKind.PlainPost) > 10, "too few plain POSTs after the exit to tell");
        }
    }

    [Fact]
    public async Task A_gateway_replica_stopped_under_traffic_leaves_discovery_before_it_exits_and_no_request_fails()
    {
        await cluster.EnsureAllRunningAsync();
        var leaving = cluster.Gateways[0];
        var staying = cluster.Gateways[1];
        // No retries at the front door: what the stopping gateway accepted, it answers.
        using var door = new FrontDoor(cluster.Gateways);
        var traffic = ShopTraffic.Start(door.Client, cluster.ProductIds, new TrafficMix(Gets: 3, IdempotentPosts: 1, PlainPosts: 1));
        await using (traffic)
        {
            await Eventually.HoldsAsync(() => cluster.Gateways.All(g => traffic.Exchanges.Count(e => e.Gateway == g.Name) >= 20), Soon, "both gateways serve", cluster.Diagnostics);

            var asked = DateTime.UtcNow;
            var stopping = leaving.StopAsync();
            await Eventually.HoldsAsync(async () =>
                    (await Task.WhenAll(cluster.Peers.Select(p => MallCluster.InstanceAsync(p, "GATEWAY", leaving.Name)))).All(i => i is null),
                TimeSpan.FromSeconds(3), $"{leaving.Name} gone from both peers", cluster.Diagnostics);
            var runningAfterLeaving = leaving.IsRunning;
            var exitCode = await stopping;
            var exited = leaving.ExitedAtUtc ?? DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(1));
            await Eventually.HoldsAsync(() => traffic.Exchanges.Count(e => e.SentUtc > exited) > 20,
                TimeSpan.FromSeconds(10), "traffic goes on after the exit", cluster.Diagnostics);
            await traffic.StopAsync();

            var afterExit = traffic.Exchanges.Where(e => e.SentUtc > exited).ToList();
            output.WriteLine($"SIGTERM → exited: {(exited - asked).TotalMilliseconds:0} ms (exit code {exitCode}); requests: {traffic.Exchanges.Count}, " +
                $"{traffic.Failures.Count} failed; answered by {leaving.Name} after SIGTERM: {traffic.Exchanges.Count(e => e.Gateway == leaving.Name && e.SentUtc >= asked)}");

            Assert.True(traffic.Failures.Count == 0, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{cluster.Diagnostics()}");
            Assert.True(runningAfterLeaving, $"{leaving.Name} exited before it had left discovery:\n{leaving.Log}");
            Assert.Equal(0, exitCode);
            Assert.True(afterExit.Count > 20, "too little traffic after the exit to tell");
            Assert.All(afterExit, e => Assert.Equal(staying.Name, e.Gateway));
        }
    }
}
