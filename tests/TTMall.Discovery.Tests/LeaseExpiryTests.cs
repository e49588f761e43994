using System.Diagnostics;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>Leases expire after 1 × durationInSecs without heartbeats; self-preservation holds eviction back when renewals collapse.</summary>
public sealed class LeaseExpiryTests
{
    private const string FastEviction = "--Discovery:EvictionIntervalMs=200";

    [Fact]
    public async Task An_instance_without_heartbeats_is_evicted_after_its_lease_and_shows_as_deleted_in_the_delta()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:SelfPreservation=false", FastEviction);
        using var eureka = EurekaTestClient.For(peer);
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "short-lease", renewalIntervalInSecs: 1, durationInSecs: 2));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "long-lease"));
        Assert.True(await eureka.ListsAsync("short-lease"));

        await Eventually.HoldsAsync(async () => !await eureka.ListsAsync("short-lease"), Deadlines.Background, "the expired lease is evicted");

        // Java Eureka waits 2 × duration (4 s here); we expire at 1 × duration. Measured by the server's own clock, from
        // the lease's last renewal to its eviction, so a slow client or a busy machine does not blur it.
        Assert.Null(await eureka.InstanceOrNullAsync("ORDERS", "short-lease"));
        Assert.True(await eureka.ListsAsync("long-lease"));
        var delta = await eureka.ApplicationsAsync("apps/delta");
        var evicted = Envelope.Instance(delta, "short-lease");
        Assert.Equal("DELETED", (string?)evicted["actionType"]);
        var leaseInfo = evicted["leaseInfo"]!;
        var expiredAfter = ((long)leaseInfo["evictionTimestamp"]! - (long)leaseInfo["lastRenewalTimestamp"]!) / 1000.0;
        Assert.InRange(expiredAfter, 2.0, 3.9);
        Assert.Equal("UP_1_", (string?)delta["apps__hashcode"]);
        using var heartbeat = await eureka.HeartbeatAsync("ORDERS", "short-lease");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, heartbeat.StatusCode);
    }

    [Fact]
    public async Task Heartbeats_keep_a_short_lease_alive_and_it_expires_once_they_stop()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:SelfPreservation=false", FastEviction);
        using var eureka = EurekaTestClient.For(peer);
        // A 4 s lease renewed every 300 ms: a heartbeat may be seconds late on a busy machine and still be in time.
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "kept", renewalIntervalInSecs: 1, durationInSecs: 4));

        var alive = Stopwatch.StartNew();
        while (alive.Elapsed < TimeSpan.FromSeconds(6))
        {
            await eureka.HeartbeatOkAsync("ORDERS", "kept");
            await Task.Delay(300);
        }

        Assert.True(await eureka.ListsAsync("kept"), "renewed for longer than its lease, still registered");
        await Eventually.HoldsAsync(async () => !await eureka.ListsAsync("kept"), Deadlines.Background, "evicted once heartbeats stop");
    }

    [Fact]
    public async Task Self_preservation_keeps_expired_leases_when_renewals_fall_below_the_threshold()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:SelfPreservation=true", FastEviction);
        using var eureka = EurekaTestClient.For(peer);
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1", renewalIntervalInSecs: 1, durationInSecs: 2));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-2", renewalIntervalInSecs: 1, durationInSecs: 2));

        // Well past the lease: without self-preservation both would be gone by now (see the tests above).
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        Assert.True(await eureka.ListsAsync("orders-1"));
        Assert.True(await eureka.ListsAsync("orders-2"));
        Assert.Contains("ACTIVE", await eureka.Http.GetStringAsync(peer.BaseUri));
    }

    [Fact]
    public async Task With_self_preservation_on_an_expired_lease_is_still_evicted_while_renewals_are_healthy()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:SelfPreservation=true", FastEviction);
        using var eureka = EurekaTestClient.For(peer);
        // Expected renewals: 2 a minute from each instance (30 s interval); the healthy one sends more than all of that.
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "healthy"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "dying", durationInSecs: 2));
        for (var i = 0; i < 6; i++)
        {
            await eureka.HeartbeatOkAsync("ORDERS", "healthy");
        }

        await Eventually.HoldsAsync(async () => !await eureka.ListsAsync("dying"), Deadlines.Background, "the expired lease is evicted");
        Assert.True(await eureka.ListsAsync("healthy"));
    }
}
