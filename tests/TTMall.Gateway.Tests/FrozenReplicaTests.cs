using Xunit.Abstractions;

namespace TTMall.Gateway.Tests;

/// <summary>
/// A replica that stops dead without dying (SIGSTOP: a long pause, a stuck process) still accepts connections and
/// answers nothing. Reads already sent to it are sent to another replica once it has been silent for the gateway's
/// answer timeout, and its health probe takes it out for the requests after them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FrozenReplicaTests(MallCluster cluster, ITestOutputHelper output)
{
    /// <summary>Gateway:AnswerTimeout, the gateways' default.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Beyond the answer timeout: the second attempt, on a machine shared with the whole cluster.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task A_frozen_products_replica_fails_no_GET_and_keeps_none_waiting_much_longer_than_the_answer_timeout()
    {
        await cluster.EnsureAllRunningAsync();
        var victim = cluster.Replica("products-2");
        using var door = new FrontDoor(cluster.Gateways);
        var traffic = ShopTraffic.Start(door.Client, cluster.ProductIds, new TrafficMix(Gets: 4, IdempotentPosts: 0));
        await using (traffic)
        {
            await cluster.EveryReplicaServesAsync(traffic);

            var frozen = DateTime.UtcNow;
            victim.Freeze();
            DateTime thawed;
            try
            {
                // Longer than the answer timeout and the health probes' time to take it out, together.
                await Task.Delay(AnswerTimeout + TimeSpan.FromSeconds(3));
            }
            finally
            {
                victim.Thaw();
                thawed = DateTime.UtcNow;
            }

            await Eventually.HoldsAsync(() => traffic.ServedBy(victim.Name, thawed) >= 5, TimeSpan.FromSeconds(5), $"{victim.Name} serves again once thawed", cluster.Diagnostics);
            await traffic.StopAsync();

            var duringFreeze = traffic.Exchanges.Where(e => e.EndedUtc >= frozen && e.SentUtc < thawed).ToList();
            var slowest = duringFreeze.MaxBy(e => e.EndedUtc - e.SentUtc);
            var waited = duringFreeze.Where(e => e.EndedUtc - e.SentUtc >= AnswerTimeout).ToList();
            output.WriteLine($"GETs during the freeze: {duringFreeze.Count}, {traffic.Failures.Count} failed; " +
                $"{waited.Count} waited out the answer timeout (answered by {string.Join(", ", waited.Select(e => e.Instance).Distinct())}); " +
                $"slowest {(slowest is null ? "-" : $"{(slowest.EndedUtc - slowest.SentUtc).TotalMilliseconds:0} ms")}");

            Assert.True(traffic.Failures.Count == 0, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{cluster.Diagnostics()}");
            Assert.True(duringFreeze.Count > 50, $"too little traffic during the freeze to tell: {duringFreeze.Count} requests");
            var tooSlow = duringFreeze.Where(e => e.EndedUtc - e.SentUtc > AnswerTimeout + Slack).ToList();
            Assert.True(tooSlow.Count == 0, $"kept waiting for the frozen replica:\n{Traffic.Describe(tooSlow)}\n{cluster.Diagnostics()}");
            // The requests caught in the freeze are the proof that the retry happened: they were answered, by the other replica.
            Assert.NotEmpty(waited);
            Assert.All(waited, e => Assert.NotEqual(victim.Name, e.Instance));
        }
    }
}
