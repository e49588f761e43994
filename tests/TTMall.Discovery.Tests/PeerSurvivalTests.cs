using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>
/// A peer's death, refusals or silence never take the other down: it serves on, keeps what it must send, and takes the
/// restarted peer back. Once, SIGKILL of one peer stopped the other within 5 s.
/// </summary>
public sealed class PeerSurvivalTests
{
    [Fact]
    public async Task After_one_peer_is_killed_the_other_serves_on_through_every_back_off_and_warning_and_takes_the_restarted_one_back()
    {
        // The replicator's back-off reaches its longest (10 s) about 16 s after the peer went; the absence warning is
        // brought forward from 60 s to 15 s so that it, too, happens while the other serves on alone.
        await using var pair = await PeerPair.StartAsync("--Discovery:PeerAbsenceWarningSeconds=15");
        // A lease that outlasts the restart below, however slow the machine: not renewed while A starts again.
        await pair.OnA.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1", durationInSecs: 120));
        await Eventually.HoldsAsync(() => pair.OnA.ListsAsync("orders-1"), Deadlines.Replication, "orders-1 is on A");

        await pair.A.KillAsync();

        // 45 s of what clients do (heartbeats, fetches, a registration now and then) on B alone: past the absence
        // warning and three of the longest back-offs. Once, a survivor stopped within 5 s, or 20 s, or 70 s.
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();
        var round = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(45))
        {
            round++;
            using (var heartbeat = await pair.OnB.HeartbeatAsync("ORDERS", "orders-1"))
            {
                if (heartbeat.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"heartbeat {(int)heartbeat.StatusCode}");
                }
            }

            if (round % 10 == 0)
            {
                await pair.OnB.RegisterOkAsync(InstanceJson.Create("ORDERS", $"orders-{round}", durationInSecs: 5));
            }

            using var fetch = await pair.OnB.Http.GetAsync("apps/delta");
            if (fetch.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"delta {(int)fetch.StatusCode}");
            }

            await Task.Delay(500);
        }

        Assert.True(pair.B.IsRunning, pair.B.Log);
        Assert.Empty(failures);
        Assert.Contains("did not take replication for", pair.B.Log);

        await pair.A.StartAsync();
        // The restarted peer copies B's registry before it serves, and both replicate again.
        Assert.True(await pair.OnA.ListsAsync("orders-1"), pair.A.Log);
        await pair.OnA.RegisterOkAsync(InstanceJson.Create("ORDERS", "after-restart"));
        await Eventually.HoldsAsync(() => pair.OnB.ListsAsync("after-restart"), Deadlines.Replication, "B takes A's replication again", () => pair.B.Log);
        await pair.OnB.RegisterOkAsync(InstanceJson.Create("ORDERS", "from-b"));
        await Eventually.HoldsAsync(() => pair.OnA.ListsAsync("from-b"), Deadlines.Replication, "A takes B's replication again", () => pair.A.Log);
    }

    [Fact]
    public async Task A_peer_that_refuses_every_batch_is_sent_nothing_it_cannot_take_and_both_serve_on()
    {
        // B takes no body over 1,000 bytes: every batch A sends it is refused with 413, as an oversized copy once was.
        var (portA, portB) = (FreePort.OnLoopback(), FreePort.OnLoopback());
        await using var b = await DiscoveryPeer.StartAsync(portB, "--Discovery:SelfPreservation=false", "--Discovery:MaxRequestBodyBytes=1000",
            $"--Discovery:PeerUrls:0=http://127.0.0.1:{portA}/eureka/");
        await using var a = await DiscoveryPeer.StartAsync(portA, "--Discovery:SelfPreservation=false", $"--Discovery:PeerUrls:0=http://127.0.0.1:{portB}/eureka/");
        using var onA = EurekaTestClient.For(a);
        using var onB = EurekaTestClient.For(b);
        var instance = InstanceJson.Create("P", "p1");
        instance["metadata"] = new JsonObject { ["x"] = new string('<', 1_900) };
        await onA.RegisterOkAsync(instance);

        // Every heartbeat is news for B, which B cannot take: 20 seconds of them, 20 a second.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await onA.HeartbeatOkAsync("P", "p1");
            await Task.Delay(50);
        }

        Assert.True(a.IsRunning, a.Log);
        Assert.True(b.IsRunning, b.Log);
        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        Assert.True(await onA.ListsAsync("orders-1"));
        using var bServes = await onB.Http.GetAsync("apps");
        Assert.Equal(HttpStatusCode.OK, bServes.StatusCode);
    }

    [Fact]
    public async Task A_peer_that_never_answers_costs_a_warning_not_a_stream_of_them()
    {
        // A peer that takes connections and never answers, on a port held for the whole test so no other test's process
        // can take it. Away for 2 s is "for long" here (60 s by default): shorter, a peer is taken to be starting or stopping.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var a = await DiscoveryPeer.StartAsync(null, PeerArguments.NoSelfPreservation, "--Discovery:PeerAbsenceWarningSeconds=2", PeerArguments.PeerUrl(silentPort));
        using var onA = EurekaTestClient.For(a);
        await onA.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        int Warnings() => a.Log.Split('\n').Count(line => line.Contains("did not take", StringComparison.Ordinal));

        await Eventually.HoldsAsync(async () =>
        {
            await onA.HeartbeatOkAsync("ORDERS", "orders-1");
            return Warnings() > 0;
        }, TimeSpan.FromSeconds(60), "A warns that its peer takes nothing", () => a.Log);
        Assert.Contains("does not take replication yet", a.Log);

        // Ten more seconds of heartbeats, each replicated in vain, many back-offs of the same episode.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await onA.HeartbeatOkAsync("ORDERS", "orders-1");
            await Task.Delay(100);
        }

        Assert.True(a.IsRunning, a.Log);
        Assert.Equal(1, Warnings());
    }

    [Fact]
    public async Task Three_hundred_metadata_writes_on_one_instance_reach_the_other_peer_and_both_serve_on()
    {
        await using var pair = await PeerPair.StartAsync();
        await pair.OnA.RegisterOkAsync(InstanceJson.Create("P", "p1"));

        for (var i = 0; i < 300; i++)
        {
            using var response = await pair.OnA.UpdateMetadataAsync("P", "p1", $"?m={i}&pad={new string('<', 1_800)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.HoldsAsync(
            async () => (string?)(await pair.OnB.InstanceOrNullAsync("P", "p1"))?["metadata"]?["m"] == "299",
            Deadlines.Replication, "B has the last metadata", () => pair.A.Log);
        Assert.True(pair.A.IsRunning && pair.B.IsRunning);
    }
}
