using System.Net;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>Two (or three) real server processes replicating to each other, killed and restarted.</summary>
public sealed class PeerReplicationTests
{
    private const string NoSelfPreservation = "--Discovery:SelfPreservation=false";

    [Fact]
    public async Task A_registration_on_one_peer_is_readable_on_the_other()
    {
        await using var pair = await PeerPair.StartAsync();
        var (onA, onB) = (pair.OnA, pair.OnB);
        var instance = InstanceJson.Create("ORDERS", "orders-1", vip: "orders");
        instance["metadata"] = new JsonObject { ["zone"] = "z1" };

        await onA.RegisterOkAsync(instance);

        await Eventually.HoldsAsync(() => onB.ListsAsync("orders-1"), Deadlines.Replication, "B lists what was registered on A");
        var copy = await onB.InstanceAsync("ORDERS", "orders-1");
        Assert.Equal("UP", (string?)copy["status"]);
        Assert.Equal("z1", (string?)copy["metadata"]!["zone"]);
        Assert.Equal("orders", (string?)copy["vipAddress"]);
        Assert.Equal((string?)(await onA.InstanceAsync("ORDERS", "orders-1"))["lastDirtyTimestamp"], (string?)copy["lastDirtyTimestamp"]);
        Assert.Single(Envelope.Instances(await onB.ApplicationsAsync("vips/ORDERS")));
    }

    [Fact]
    public async Task Heartbeats_status_changes_metadata_and_cancel_on_one_peer_reach_the_other()
    {
        await using var pair = await PeerPair.StartAsync();
        var (onA, onB) = (pair.OnA, pair.OnB);
        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        await Eventually.HoldsAsync(() => onB.ListsAsync("orders-1"), Deadlines.Replication, "the registration reaches B");

        var renewedOnB = (long)(await onB.InstanceAsync("ORDERS", "orders-1"))["leaseInfo"]!["lastRenewalTimestamp"]!;
        await Task.Delay(20);
        await onA.HeartbeatOkAsync("ORDERS", "orders-1");
        await Eventually.HoldsAsync(
            async () => (long)(await onB.InstanceAsync("ORDERS", "orders-1"))["leaseInfo"]!["lastRenewalTimestamp"]! > renewedOnB,
            Deadlines.Replication, "the heartbeat renews B's lease");

        await onA.HeartbeatOkAsync("ORDERS", "orders-1", "?status=DOWN");
        await Eventually.HoldsAsync(async () => await StatusAsync(onB, "orders-1") == "DOWN", Deadlines.Replication, "the heartbeat's DOWN reaches B");

        (await onA.UpdateMetadataAsync("ORDERS", "orders-1", "?weight=5")).Dispose();
        await Eventually.HoldsAsync(
            async () => (string?)(await onB.InstanceAsync("ORDERS", "orders-1"))["metadata"]!["weight"] == "5",
            Deadlines.Replication, "the metadata reaches B");

        (await onA.CancelAsync("ORDERS", "orders-1")).Dispose();
        await Eventually.HoldsAsync(async () => !await onB.ListsAsync("orders-1"), Deadlines.Replication, "the cancel reaches B");
    }

    [Fact]
    public async Task A_status_override_and_its_removal_on_one_peer_reach_the_other()
    {
        await using var pair = await PeerPair.StartAsync();
        var (onA, onB) = (pair.OnA, pair.OnB);
        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        await Eventually.HoldsAsync(() => onB.ListsAsync("orders-1"), Deadlines.Replication, "the registration reaches B");

        (await onA.OverrideStatusAsync("ORDERS", "orders-1", "OUT_OF_SERVICE")).Dispose();
        await Eventually.HoldsAsync(async () => await StatusAsync(onB, "orders-1") == "OUT_OF_SERVICE", Deadlines.Replication, "the override reaches B");
        Assert.Equal("OUT_OF_SERVICE", (string?)(await onB.InstanceAsync("ORDERS", "orders-1"))["overriddenStatus"]);

        // A Java client's heartbeat (no status) while the override holds, then the override goes.
        await onA.HeartbeatOkAsync("ORDERS", "orders-1");
        await Task.Delay(300);
        (await onA.DeleteOverrideAsync("ORDERS", "orders-1")).Dispose();

        Assert.Equal("UP", await StatusAsync(onA, "orders-1"));
        await Eventually.HoldsAsync(async () => await StatusAsync(onB, "orders-1") == "UP", Deadlines.Replication, "the override's removal reaches B");
        Assert.Equal("UNKNOWN", (string?)(await onB.InstanceAsync("ORDERS", "orders-1"))["overriddenStatus"]);
    }

    [Fact]
    public async Task A_killed_peer_leaves_the_other_serving_and_on_restart_copies_the_registry_before_it_serves()
    {
        await using var pair = await PeerPair.StartAsync();
        var (onA, onB) = (pair.OnA, pair.OnB);
        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-2"));
        (await onA.OverrideStatusAsync("ORDERS", "orders-2", "OUT_OF_SERVICE")).Dispose();
        await Eventually.HoldsAsync(async () => await StatusAsync(onB, "orders-2") == "OUT_OF_SERVICE", Deadlines.Replication, "A's writes reach B");

        await pair.A.KillAsync();

        Assert.True(await onB.ListsAsync("orders-1"));
        await onB.HeartbeatOkAsync("ORDERS", "orders-1");
        await onB.RegisterOkAsync(InstanceJson.Create("USERS", "users-1"));
        Assert.Equal("OUT_OF_SERVICE_1_UP_2_", (string?)(await onB.ApplicationsAsync())["apps__hashcode"]);

        await pair.A.StartAsync();

        var copied = await onA.ApplicationsAsync();
        Assert.Equal(["orders-1", "orders-2", "users-1"], Envelope.Instances(copied).Select(i => (string)i["instanceId"]!).Order(StringComparer.Ordinal));
        Assert.Equal("OUT_OF_SERVICE_1_UP_2_", (string?)copied["apps__hashcode"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)Envelope.Instance(copied, "orders-2")["overriddenStatus"]);
        await onA.HeartbeatOkAsync("ORDERS", "orders-1");

        await onB.RegisterOkAsync(InstanceJson.Create("USERS", "users-2"));
        await Eventually.HoldsAsync(() => onA.ListsAsync("users-2"), Deadlines.Replication, "B replicates to the restarted A again");
    }

    [Fact]
    public async Task A_heartbeat_a_peer_answers_with_404_makes_the_sender_replicate_the_registration()
    {
        await using var pair = await PeerPair.StartAsync();
        var (onA, onB) = (pair.OnA, pair.OnB);
        // Marked as replicated, so A keeps it to itself: B never hears of it.
        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "only-on-a"), replication: true);
        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "marker"));
        await Eventually.HoldsAsync(() => onB.ListsAsync("marker"), Deadlines.Replication, "A replicates to B");
        Assert.False(await onB.ListsAsync("only-on-a"));

        await onA.HeartbeatOkAsync("ORDERS", "only-on-a");

        await Eventually.HoldsAsync(() => onB.ListsAsync("only-on-a"), Deadlines.Replication, "B's 404 makes A register the instance there");
    }

    [Fact]
    public async Task A_heartbeat_a_peer_answers_with_409_makes_the_sender_take_the_peers_newer_instance()
    {
        await using var pair = await PeerPair.StartAsync();
        var (onA, onB) = (pair.OnA, pair.OnB);
        var older = InstanceJson.Create("ORDERS", "orders-1", lastDirtyTimestamp: 1_700_000_000_000);
        older["metadata"] = new JsonObject { ["version"] = "old" };
        var newer = InstanceJson.Create("ORDERS", "orders-1", lastDirtyTimestamp: 1_700_000_000_999);
        newer["metadata"] = new JsonObject { ["version"] = "new" };
        await onA.RegisterOkAsync(older, replication: true);
        await onB.RegisterOkAsync(newer, replication: true);

        await onA.HeartbeatOkAsync("ORDERS", "orders-1");

        await Eventually.HoldsAsync(
            async () => (string?)(await onA.InstanceAsync("ORDERS", "orders-1"))["metadata"]!["version"] == "new",
            Deadlines.Replication, "A takes B's newer copy");
        Assert.Equal("1700000000999", (string?)(await onA.InstanceAsync("ORDERS", "orders-1"))["lastDirtyTimestamp"]);
    }

    [Fact]
    public async Task Replicated_operations_are_never_forwarded_again()
    {
        // A -> B -> C: each forwards only what its own clients do.
        var (portA, portB, portC) = (FreePort.OnLoopback(), FreePort.OnLoopback(), FreePort.OnLoopback());
        await using var c = await DiscoveryPeer.StartAsync(portC, NoSelfPreservation);
        await using var b = await DiscoveryPeer.StartAsync(portB, NoSelfPreservation, $"--Discovery:PeerUrls:0=http://127.0.0.1:{portC}/eureka/");
        await using var a = await DiscoveryPeer.StartAsync(portA, NoSelfPreservation, $"--Discovery:PeerUrls:0=http://127.0.0.1:{portB}/eureka/");
        using var onA = EurekaTestClient.For(a);
        using var onB = EurekaTestClient.For(b);
        using var onC = EurekaTestClient.For(c);
        await onB.RegisterOkAsync(InstanceJson.Create("ORDERS", "cancelled-by-a-peer"));
        await Eventually.HoldsAsync(() => onC.ListsAsync("cancelled-by-a-peer"), Deadlines.Replication, "B forwards its clients' registrations to C");

        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "via-a"));
        await Eventually.HoldsAsync(() => onB.ListsAsync("via-a"), Deadlines.Replication, "A forwards to B");
        await onB.RegisterOkAsync(InstanceJson.Create("ORDERS", "sent-to-b-as-replicated"), replication: true);
        using (var cancel = await onB.CancelAsync("ORDERS", "cancelled-by-a-peer", replication: true))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        // B forwards in order: had it forwarded any of the above, C would have it before this.
        await onB.RegisterOkAsync(InstanceJson.Create("ORDERS", "marker"));
        await Eventually.HoldsAsync(() => onC.ListsAsync("marker"), Deadlines.Replication, "B forwards its client's later registration to C");
        Assert.False(await onC.ListsAsync("via-a"), "B forwarded A's replicated registration");
        Assert.False(await onC.ListsAsync("sent-to-b-as-replicated"), "B forwarded a registration marked as replicated");
        Assert.True(await onC.ListsAsync("cancelled-by-a-peer"), "B forwarded a cancel marked as replicated");
        Assert.False(await onB.ListsAsync("cancelled-by-a-peer"));
        Assert.False(await onA.ListsAsync("marker"), "B forwarded to a server that is not its peer");
    }

    [Fact]
    public async Task A_burst_of_registrations_reaches_the_peer_in_full()
    {
        // Bounds raised for the burst: what is measured here is replication, not the registry's limits.
        await using var pair = await PeerPair.StartAsync("--Discovery:RegistrationsPerSecond=1000", "--Discovery:MaxRegistryBytes=2000000", "--Discovery:MaxDeltaBytes=2000000");
        var (onA, onB) = (pair.OnA, pair.OnB);
        const int count = 600;

        var responses = await Task.WhenAll(Enumerable.Range(0, count).Select(i => onA.RegisterAsync(InstanceJson.Create($"BURST{i % 7}", $"burst-{i}"))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        var onBCount = 0;
        await Eventually.HoldsAsync(
            async () => (onBCount = Envelope.Instances(await onB.ApplicationsAsync()).Count) == count,
            Deadlines.Replication, $"all {count} registrations reach B", () => $"{onBCount} did. A's log:\n{pair.A.Log}");
    }

    private static async Task<string?> StatusAsync(EurekaTestClient eureka, string id) =>
        (string?)(await eureka.InstanceOrNullAsync("ORDERS", id))?["status"];
}
