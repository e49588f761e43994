using TTMall.Eureka;
using Xunit.Abstractions;

namespace TTMall.Gateway.Tests;

/// <summary>Processes die under steady traffic (SIGKILL: no goodbye, ports refusing) and the shop does not notice.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FailoverTests(MallCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    /// <summary>How long after its death a dead replica may still be sent requests (each retried elsewhere).</summary>
    private static readonly TimeSpan RoutedAroundWithin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_killed_products_replica_fails_no_GET_and_no_idempotent_POST_gets_nothing_a_second_later_and_leaves_the_registry_within_its_lease()
    {
        await cluster.EnsureAllRunningAsync();
        var victim = cluster.Replica("products-2");
        using var door = new FrontDoor(cluster.Gateways);
        var traffic = ShopTraffic.Start(door.Client, cluster.ProductIds, new TrafficMix(Gets: 3, IdempotentPosts: 1));
        await using (traffic)
        {
            await cluster.EveryReplicaServesAsync(traffic);

            var killed = DateTime.UtcNow;
            await victim.KillAsync();
            var dead = DateTime.UtcNow;

            // Each peer expires the lease on its own: 4 s from the last heartbeat, checked every 200 ms.
            var gone = await Eventually.HoldsAsync(async () =>
                    (await Task.WhenAll(cluster.Peers.Select(p => MallCluster.InstanceAsync(p, "PRODUCTS", victim.Name)))).All(i => i is null),
                TimeSpan.FromSeconds(10), $"{victim.Name} gone from both peers");
            var goneAfter = DateTime.UtcNow - killed;

            // Traffic goes on until the gateways have fetched the registry without it.
            await Task.Delay(TimeSpan.FromSeconds(1));
            await traffic.StopAsync();

            var exchanges = traffic.Exchanges;
            var afterKill = exchanges.Where(e => e.SentUtc >= killed).ToList();
            var failedAt = GatewayFailuresNaming(victim).ToList();
            var lastFailure = failedAt.Count == 0 ? (TimeSpan?)null : failedAt.Max() - killed;
            output.WriteLine($"requests: {exchanges.Count} ({afterKill.Count} after the kill): " +
                $"{exchanges.Count(e => e.Kind == RequestKind.Get)} GETs, {exchanges.Count(e => e.Kind == RequestKind.IdempotentPost)} idempotent POSTs; {traffic.Failures.Count} failed");
            output.WriteLine($"gateway failures naming {victim.Name} after the kill: {failedAt.Count(t => t >= killed)}; " +
                $"last one {(lastFailure is { } l ? $"{l.TotalMilliseconds:0} ms" : "-")} after the kill");
            output.WriteLine($"killed → gone from both peers: {goneAfter.TotalMilliseconds:0} ms (lease {MallCluster.Lease.TotalSeconds} s)");

            Assert.True(traffic.Failures.Count == 0, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{cluster.Diagnostics()}");
            Assert.True(afterKill.Count(e => e.Kind == RequestKind.Get) > 50 && afterKill.Count(e => e.Kind == RequestKind.IdempotentPost) > 10,
                $"too little traffic after the kill to tell: {afterKill.Count} requests");
            Assert.True(lastFailure is null || lastFailure < RoutedAroundWithin,
                $"a gateway still sent requests to {victim.Name} {lastFailure?.TotalMilliseconds:0} ms after it died:\n{string.Join("\n", failedAt)}");
            var servedByTheDead = afterKill.Where(e => e.SentUtc >= dead && e.Instance == victim.Name).ToList();
            Assert.True(servedByTheDead.Count == 0, $"answered by the dead replica:\n{Traffic.Describe(servedByTheDead)}");
            Assert.True(afterKill.All(e => e.Gateway is not null), $"answers without X-TTMall-Gateway:\n{Traffic.Describe(afterKill.Where(e => e.Gateway is null))}");
            Assert.True(goneAfter <= MallCluster.Lease + MallCluster.EvictionInterval + TimeSpan.FromMilliseconds(300),
                $"{victim.Name} was still in the registry {goneAfter.TotalMilliseconds:0} ms after it died, with a {MallCluster.Lease.TotalSeconds} s lease");
        }
    }

    [Fact]
    public async Task A_killed_replica_started_again_gets_traffic_through_every_gateway_within_2_s_of_being_UP()
    {
        await cluster.EnsureAllRunningAsync();
        var victim = cluster.Replica("products-2");
        using var door = new FrontDoor(cluster.Gateways);
        var traffic = ShopTraffic.Start(door.Client, cluster.ProductIds, new TrafficMix(Gets: 3, IdempotentPosts: 1));
        await using (traffic)
        {
            await cluster.EveryReplicaServesAsync(traffic);

            // Killed under traffic, so every gateway has seen it fail, and started again at once, as an orchestrator
            // restarts a crashed replica: its new life begins while the registry still holds the old one.
            await victim.KillAsync();
            await Eventually.HoldsAsync(() => GatewayFailuresNaming(victim).Any(), Soon, "a gateway saw the dead replica fail", cluster.Diagnostics);
            var restarted = DateTime.UtcNow;
            await victim.StartAsync();
            // UP follows the start once the replica's own health URL has answered.
            DateTime? UpLoggedAt() => victim.Lines.Where(l => l.Text.Contains("as UP", StringComparison.Ordinal)).Select(MallService.LoggedAt).FirstOrDefault();
            await Eventually.HoldsAsync(() => UpLoggedAt() is not null, Soon, $"{victim.Name} logs its UP registration", () => victim.Log);
            var up = UpLoggedAt()!.Value;

            var firstServed = new Dictionary<string, Exchange>();
            await Eventually.HoldsAsync(() =>
                {
                    foreach (var gateway in cluster.Gateways.Where(g => !firstServed.ContainsKey(g.Name)))
                    {
                        if (traffic.Exchanges.Where(e => e.Instance == victim.Name && e.Gateway == gateway.Name && e.SentUtc >= restarted && e.Succeeded)
                                .MinBy(e => e.EndedUtc) is { } first)
                        {
                            firstServed[gateway.Name] = first;
                        }
                    }

                    return firstServed.Count == cluster.Gateways.Count;
                },
                TimeSpan.FromSeconds(10), $"{victim.Name} serves again through every gateway", cluster.Diagnostics);
            await traffic.StopAsync();

            foreach (var (gateway, first) in firstServed)
            {
                output.WriteLine($"{victim.Name} UP at {up:HH:mm:ss.fff}; first answer through {gateway} at {first.EndedUtc:HH:mm:ss.fff}: {(first.EndedUtc - up).TotalMilliseconds:0} ms after UP");
            }

            Assert.True(traffic.Failures.Count == 0, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{cluster.Diagnostics()}");
            Assert.All(firstServed, f => Assert.True(f.Value.EndedUtc - up <= TimeSpan.FromSeconds(2),
                $"{victim.Name} was UP at {up:HH:mm:ss.fff} but {f.Key} first sent it a request answered at {f.Value.EndedUtc:HH:mm:ss.fff}\n{cluster.Diagnostics()}"));
        }
    }

    [Fact]
    public async Task With_a_gateway_replica_and_a_discovery_peer_killed_the_shop_keeps_answering_from_every_products_replica()
    {
        await cluster.EnsureAllRunningAsync();
        var deadGateway = cluster.Gateways[0];
        var survivor = cluster.Gateways[1];
        using var door = new FrontDoor(cluster.Gateways);
        var traffic = ShopTraffic.Start(door.Client, cluster.ProductIds, new TrafficMix(Gets: 3, IdempotentPosts: 1));
        await using (traffic)
        {
            await Eventually.HoldsAsync(() => cluster.Gateways.All(g => traffic.Exchanges.Count(e => e.Gateway == g.Name) >= 20), Soon, "both gateways serve", cluster.Diagnostics);

            var killed = DateTime.UtcNow;
            await Task.WhenAll(deadGateway.KillAsync(), cluster.PeerA.KillAsync());
            var dead = DateTime.UtcNow;

            // Longer than a lease: the replicas' heartbeats must now reach the other peer, or it evicts them.
            await Task.Delay(MallCluster.Lease + TimeSpan.FromSeconds(2));
            var lastStretch = DateTime.UtcNow - TimeSpan.FromSeconds(2);
            await traffic.StopAsync();

            var afterKill = traffic.Exchanges.Where(e => e.SentUtc >= dead).ToList();
            // Requests the killed gateway held when it died had their connections cut: nobody can answer those.
            var inFlight = traffic.Failures.Where(e => e.SentUtc < dead && e.EndedUtc >= killed).ToList();
            var apps = await MallCluster.AppsAsync(cluster.PeerB);
            output.WriteLine($"requests after the kills: {afterKill.Count}, {afterKill.Count(e => !e.Succeeded)} failed; " +
                $"in flight in the killed gateway and cut off: {inFlight.Count}; " +
                $"served in the last 2 s: {string.Join(", ", cluster.Products.Select(p => $"{p.Name} {traffic.ServedBy(p.Name, lastStretch)}"))}");

            Assert.True(afterKill.All(e => e.Succeeded), $"failed requests:\n{Traffic.Describe(afterKill.Where(e => !e.Succeeded))}\n{cluster.Diagnostics()}");
            Assert.True(traffic.Failures.Except(inFlight).Count() == 0 && inFlight.All(e => e.Status is null),
                $"failed before the kills, or answered with an error:\n{Traffic.Describe(traffic.Failures)}");
            Assert.True(afterKill.Count > 100, $"too little traffic after the kills to tell: {afterKill.Count} requests");
            Assert.All(afterKill, e => Assert.Equal(survivor.Name, e.Gateway));
            Assert.All(cluster.Products, p => Assert.True(traffic.ServedBy(p.Name, lastStretch) > 0,
                $"{p.Name} served nothing through {survivor.Name} a lease after the kills\n{cluster.Diagnostics()}"));
            var up = apps.AllInstances.Where(i => i.EffectiveStatus == InstanceStatus.UP).Select(i => i.InstanceId).ToHashSet();
            Assert.All(cluster.Products.Append(survivor), p => Assert.Contains(p.Name, up));
        }
    }

    /// <summary>When the gateways logged a request to <paramref name="replica"/> failing (EjectOnTransportFailure names the address).</summary>
    private IEnumerable<DateTime> GatewayFailuresNaming(ServiceProcess replica) =>
        cluster.Gateways.SelectMany(g => g.Lines)
            .Where(l => l.Text.Contains("failed a request", StringComparison.Ordinal) && l.Text.Contains($":{replica.Port}/", StringComparison.Ordinal))
            .Select(l => MallService.LoggedAt(l) ?? l.ReceivedUtc);
}
