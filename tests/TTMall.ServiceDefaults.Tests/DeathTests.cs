using System.Diagnostics;
using System.Globalization;
using TTMall.Eureka;
using Xunit.Abstractions;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>A replica dies under traffic (no cancel, its port refusing connections): nobody notices but the registry.</summary>
public sealed class DeathTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_killed_instance_gets_no_request_a_second_after_its_first_refused_connection_and_only_a_POST_it_held_may_fail()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);
        await using var survivor = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "products", InstanceId = "products-1" });
        await using var victim = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "products", InstanceId = "products-2" });
        await using var caller = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "web", InstanceId = "web-1", Register = false });
        await Eventually.HoldsAsync(() => caller.RoutableInstances("products").Count == 2, Soon, "both products instances routable", () => caller.Log);

        using var http = caller.CreateClient();
        var traffic = MixedTraffic(http, "http://products/whoami");
        await using (traffic)
        {
            await Eventually.HoldsAsync(() => survivor.Served > 20 && victim.Served > 20, Soon, "both serve");
            var victimPort = victim.Port;
            var killed = Stopwatch.GetTimestamp();
            var killedAt = DateTime.UtcNow;
            await victim.CrashAsync();
            var deadAt = DateTime.UtcNow;

            // The server forgets it when its lease (3 s) ends, counted from its last heartbeat.
            await Eventually.HoldsAsync(async () => await peer.InstanceAsync("PRODUCTS", "products-2") is null, TimeSpan.FromSeconds(5), "evicted");
            var evictedAfter = Stopwatch.GetElapsedTime(killed);
            var evicted = (await peer.DeltaAsync()).AllInstances.Single(i => i.InstanceId == "products-2");
            Assert.Equal(ActionType.DELETED, evicted.ActionType);
            var leaseRanFor = TimeSpan.FromMilliseconds(evicted.LeaseInfo.EvictionTimestamp - evicted.LeaseInfo.LastRenewalTimestamp);
            await Eventually.HoldsAsync(() => caller.Registry.Instances("products").Count == 1, Soon, "gone from the caller's registry", () => caller.Log);
            await Task.Delay(TimeSpan.FromSeconds(0.5));

            var toVictim = caller.Attempts.Where(a => a.Uri.Port == victimPort && a.Sent >= killed).ToList();
            var firstRefused = toVictim.FirstOrDefault(a => a.Refused)
                ?? throw new Xunit.Sdk.XunitException("no connection to the dead instance was refused:\n" + string.Join("\n", toVictim));
            var lastSent = toVictim.Max(a => a.Sent);
            // 0 when the refused attempt was the last one sent there.
            var traffickedFor = Stopwatch.GetElapsedTime(firstRefused.Sent, lastSent);
            var requestsAfterKill = caller.Attempts.Count(a => a.Sent >= killed);
            Report(
                $"killed → first refused connection: {Stopwatch.GetElapsedTime(killed, firstRefused.Ended).TotalMilliseconds:0} ms",
                $"first refused connection → last request sent to the dead instance: {traffickedFor.TotalMilliseconds:0} ms (0: the refused one was the last)",
                $"attempts to the dead instance after the kill: {toVictim.Count} ({toVictim.Count(a => a.Refused)} refused)",
                $"killed → gone from the server: {evictedAfter.TotalMilliseconds:0} ms; last heartbeat → eviction: {leaseRanFor.TotalMilliseconds:0} ms (lease 3000 ms, eviction every 200 ms)",
                $"requests: {traffic.Succeeded} succeeded, {traffic.Failures.Count} failed; attempts after the kill: {requestsAfterKill}");

            // A POST the instance had already taken when it died is lost with it: without an Idempotency-Key nobody
            // may send it again. That is the one failure allowed (one loop of POSTs: at most one in flight); a POST
            // whose connection was refused sent nothing and must have gone elsewhere.
            var cutOff = traffic.Failures.Where(f => f.Method == HttpMethod.Post && f.Status is null && !f.ConnectFailure && f.SentUtc < deadAt && f.EndedUtc >= killedAt).ToList();
            Assert.True(traffic.Failures.Count == cutOff.Count && cutOff.Count <= 1, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{caller.Log}");
            Assert.True(traffickedFor <= TimeSpan.FromSeconds(1), $"the dead instance still got requests {traffickedFor.TotalMilliseconds:0} ms after its first refused connection:\n{string.Join("\n", toVictim)}");
            Assert.True(leaseRanFor <= TimeSpan.FromSeconds(3.5), $"evicted {leaseRanFor.TotalMilliseconds:0} ms after its last heartbeat, with a 3 s lease");
            Assert.True(evictedAfter <= TimeSpan.FromSeconds(3.5), $"gone from the server only {evictedAfter.TotalMilliseconds:0} ms after the kill, with a 3 s lease");

            // Back on the same port, under the same id: traffic finds it again. (The corpse goes first: stopping it
            // now sends a cancel, which must not meet the new registration.)
            await victim.DisposeAsync();
            await using var reborn = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "products", InstanceId = "products-2", Port = victimPort });
            var backAfter = await Eventually.HoldsAsync(() => reborn.Served > 10, Soon, "the reborn instance serves", () => caller.Log);
            Report($"reborn (started) → 10 requests served: {backAfter.TotalMilliseconds:0} ms");

            // Nothing failed after the kill but the POST that died with it (allowed above).
            await traffic.StopAsync();
            Assert.True(traffic.Failures.Count == cutOff.Count, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{caller.Log}");
            Assert.True(survivor.Served > 0);
        }
    }

    [Fact]
    public async Task A_graceful_stop_under_traffic_fails_no_request_and_leaves_the_registry_at_once()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);
        await using var stays = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "users", InstanceId = "users-1" });
        await using var leaves = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "users", InstanceId = "users-2", LeaseExpirationDurationInSeconds = 60 });
        await using var caller = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "web", InstanceId = "web-1", Register = false });
        await Eventually.HoldsAsync(() => caller.RoutableInstances("users").Count == 2, Soon, "both users instances routable", () => caller.Log);

        using var http = caller.CreateClient();
        await using var traffic = MixedTraffic(http, "http://users/whoami");
        await Eventually.HoldsAsync(() => stays.Served > 20 && leaves.Served > 20, Soon, "both serve");

        await leaves.StopAsync();
        Assert.Null(await peer.InstanceAsync("USERS", "users-2"));
        await Eventually.HoldsAsync(() => caller.Registry.Instances("users").Count == 1, TimeSpan.FromSeconds(1), "gone from the caller's registry", () => caller.Log);
        var served = stays.Served;
        await Eventually.HoldsAsync(() => stays.Served > served + 50, Soon, "traffic goes on");

        await traffic.StopAsync();
        Report($"graceful stop: {traffic.Succeeded} requests succeeded, {traffic.Failures.Count} failed; attempts refused: {caller.Attempts.Count(a => a.Refused)}");
        Assert.True(traffic.Failures.Count == 0, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{caller.Log}");
    }

    [Fact]
    public async Task A_registered_instance_that_refuses_connections_costs_one_attempt_and_requests_of_any_method_go_elsewhere_at_once()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);
        await using var live = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "payments", InstanceId = "payments-live" });
        // Killed a moment ago: still registered (its lease has not run out), nothing listens on its port.
        var deadPort = FreePort.OnLoopback();
        await peer.RegisterAsync(RegistryServer.Instance("payments", "payments-dead", deadPort));
        await using var caller = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "orders", InstanceId = "orders-1", Register = false });
        await Eventually.HoldsAsync(() => caller.RoutableInstances("payments").Count == 2, Soon, "both payments instances routable", () => caller.Log);

        using var http = caller.CreateClient();
        for (var i = 0; i < 6; i++)
        {
            var started = Stopwatch.GetTimestamp();
            // A POST, without an Idempotency-Key: nothing was sent on a refused connection, so it may go elsewhere.
            using var response = await http.PostAsync("http://payments/whoami", new StringContent("charge"));
            Assert.Equal("payments-live", await response.Content.ReadAsStringAsync());
            var took = Stopwatch.GetElapsedTime(started);
            // The standard back-off waits 2 s before a retry: well under that means none (headroom for a loaded machine).
            Assert.True(took < TimeSpan.FromSeconds(1.5), $"request {i} took {took.TotalMilliseconds:0} ms: a refused connection is retried without back-off");
        }

        var toDead = caller.Attempts.Where(a => a.Uri.Port == deadPort).ToList();
        Assert.True(toDead.Count == 1 && toDead[0].Refused, "one refused attempt, then it is set aside:\n" + string.Join("\n", caller.Attempts));
        Assert.True(caller.Unreachable.IsUnreachable(caller.Registry.Instances("payments").Single(i => i.InstanceId == "payments-dead")));
    }

    /// <summary>A loop of GETs and a loop of POSTs (no Idempotency-Key), as the shop sends them.</summary>
    private static Traffic MixedTraffic(HttpClient http, string url) => Traffic.Start(
        http,
        [TrafficLoop.Get(url), new TrafficLoop("POST", () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("order") })]);

    private void Report(params string[] lines)
    {
        foreach (var line in lines)
        {
            output.WriteLine(line);
            // Also on the console: `dotnet test --logger "console;verbosity=normal"` shows the figures of a passing run.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[death] {line}"));
        }
    }
}
