using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>
/// A normal start and stop is quiet: peers started one after the other and stopped with SIGTERM, as the mall does, log
/// no warning and no error. A peer that is away for that while is expected, not news (once it reddened the dashboard).
/// </summary>
public sealed class QuietLifecycleTests
{
    private static readonly TimeSpan Noticed = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Peers_started_seconds_apart_used_and_stopped_with_sigterm_log_no_warning_or_error()
    {
        var (portA, portB) = (FreePort.OnLoopback(), FreePort.OnLoopback());
        await using var a = DiscoveryPeer.Create(portA, PeerArguments.NoSelfPreservation, PeerArguments.PeerUrl(portB));
        await using var b = DiscoveryPeer.Create(portB, PeerArguments.NoSelfPreservation, PeerArguments.PatientStartupSync, PeerArguments.PeerUrl(portA));
        using var onA = EurekaTestClient.For(a);
        using var onB = EurekaTestClient.For(b);
        string Logs() => $"A:\n{a.Log}\nB:\n{b.Log}";

        await a.StartAsync();
        // A service registers with the first peer and heartbeats while the second is still starting: each is replicated
        // to a peer that is not there yet.
        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        await Eventually.HoldsAsync(async () =>
        {
            await onA.HeartbeatOkAsync("ORDERS", "orders-1");
            return a.Log.Contains("does not take replication yet", StringComparison.Ordinal);
        }, Noticed, "A notices that B is not there yet", Logs);
        // The second peer comes a few seconds after the first, as when the mall starts.
        await Task.Delay(TimeSpan.FromSeconds(2));

        await b.StartAsync();
        await onB.RegisterOkAsync(InstanceJson.Create("USERS", "users-1"));
        await Eventually.HoldsAsync(() => onB.ListsAsync("orders-1"), Deadlines.Replication, "B has A's instance", Logs);
        await Eventually.HoldsAsync(() => onA.ListsAsync("users-1"), Deadlines.Replication, "A has B's instance", Logs);
        await Eventually.HoldsAsync(async () =>
        {
            await onA.HeartbeatOkAsync("ORDERS", "orders-1");
            return a.Log.Contains("takes replication again", StringComparison.Ordinal);
        }, Noticed, "A replicates to B again", Logs);

        Assert.Equal(0, await a.StopAsync());
        // B's client goes on heartbeating while A is gone: replicated to a peer that stopped first.
        await Eventually.HoldsAsync(async () =>
        {
            await onB.HeartbeatOkAsync("USERS", "users-1");
            return b.Log.Contains("does not take replication yet", StringComparison.Ordinal);
        }, Noticed, "B notices that A is gone", Logs);
        Assert.Equal(0, await b.StopAsync());

        Assert.True(a.Complaints.Count == 0, $"A complained:\n{string.Join("\n", a.Complaints)}\n{Logs()}");
        Assert.True(b.Complaints.Count == 0, $"B complained:\n{string.Join("\n", b.Complaints)}\n{Logs()}");
    }
}
