using System.Diagnostics;
using TTMall.Eureka;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>The instance in the registry: STARTING, UP with its port, renewed, registered again when forgotten, cancelled on stop.</summary>
public sealed class RegistrationTests(SharedDiscoveryPeer shared) : IClassFixture<SharedDiscoveryPeer>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);

    private DiscoveryPeer Peer => shared.Peer;

    [Fact]
    public async Task It_is_STARTING_while_the_application_starts_however_long_and_UP_with_its_port_and_lower_case_vip_once_started()
    {
        var port = FreePort.OnLoopback();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (service, started) = TestService.Begin(new TestServiceOptions(Peer)
        {
            AppName = "Inventory",
            InstanceId = "inventory-starting",
            Port = port,
            StartupGate = gate.Task,
        });
        await using (service)
        {
            var starting = await Eventually.FoundAsync(
                () => Peer.InstanceAsync("INVENTORY", "inventory-starting"), Soon, "registered while starting", () => service.Log);
            Assert.Equal(InstanceStatus.STARTING, starting.Status);
            Assert.Equal(port, starting.Port);

            // A start longer than the 3 s lease (migrations, warm-up): still registered, still STARTING, never UP early.
            await Eventually.StaysAsync(
                async () => await Peer.InstanceAsync("INVENTORY", "inventory-starting") is { Status: InstanceStatus.STARTING },
                TimeSpan.FromSeconds(3.6), "registered as STARTING while the start takes longer than the lease", () => service.Log);

            gate.SetResult();
            await started;
            var up = await Eventually.FoundAsync(
                async () => await Peer.InstanceAsync("INVENTORY", "inventory-starting") is { Status: InstanceStatus.UP } i ? i : null,
                Soon, "UP once started", () => service.Log);
            Assert.Equal(port, up.Port);
            Assert.Equal("INVENTORY", up.App);
            Assert.Equal("inventory", up.VipAddress);
            Assert.Equal("localhost", up.HostName);
            Assert.Equal($"http://localhost:{port}/health", up.HealthCheckUrl);
            Assert.Equal(1, up.LeaseInfo.RenewalIntervalInSecs);
            Assert.Equal(3, up.LeaseInfo.DurationInSecs);
        }
    }

    [Fact]
    public async Task On_a_dynamic_port_it_registers_the_port_it_actually_listens_on()
    {
        await using var service = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "dynamic", InstanceId = "dynamic-1" });

        var up = await Eventually.FoundAsync(
            async () => await Peer.InstanceAsync("DYNAMIC", "dynamic-1") is { Status: InstanceStatus.UP } i ? i : null,
            Soon, "UP", () => service.Log);
        Assert.Equal(service.Port, up.Port);
        Assert.NotEqual(0, up.Port);
        using var http = new HttpClient();
        Assert.Equal("dynamic-1", await http.GetStringAsync(new Uri(up.BaseUri!, "whoami")));
    }

    [Fact]
    public async Task Steeltoe_instance_settings_are_what_gets_registered()
    {
        // The service URL as people write it: no trailing slash.
        await using var service = await TestService.StartAsync(new TestServiceOptions(Peer.EurekaUri.ToString().TrimEnd('/'))
        {
            AppName = "settings",
            InstanceId = "settings-1",
            Settings = new Dictionary<string, string>
            {
                // Another application's VIP address would be refused (the server's AuthenticationTests); its own in another case is not.
                ["Eureka:Instance:VipAddress"] = "Settings",
                ["Eureka:Instance:PreferIPAddress"] = "true",
                ["Eureka:Instance:IPAddress"] = "127.0.0.1",
                ["Eureka:Instance:MetadataMap:zone"] = "zone-a",
                ["Eureka:Instance:HealthCheckUrlPath"] = "/alive",
            },
        });

        var up = await Eventually.FoundAsync(
            async () => await Peer.InstanceAsync("SETTINGS", "settings-1") is { Status: InstanceStatus.UP } i ? i : null,
            Soon, "UP", () => service.Log);
        Assert.Equal("Settings", up.VipAddress);
        Assert.Equal("127.0.0.1", up.HostName);
        Assert.Equal("127.0.0.1", up.IpAddr);
        Assert.Equal("zone-a", up.Metadata.GetValueOrDefault("zone"));
        Assert.Equal($"http://127.0.0.1:{service.Port}/alive", up.HealthCheckUrl);
    }

    [Fact]
    public async Task Heartbeats_renew_the_lease_so_it_outlives_its_duration()
    {
        await using var service = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "renewing", InstanceId = "renewing-1" });
        var first = await Eventually.FoundAsync(
            async () => await Peer.InstanceAsync("RENEWING", "renewing-1") is { Status: InstanceStatus.UP } i ? i : null,
            Soon, "UP", () => service.Log);

        var renewals = new List<long> { first.LeaseInfo.LastRenewalTimestamp };
        // Longer than the 3 s lease: only heartbeats keep it registered.
        await Eventually.StaysAsync(async () =>
        {
            if (await Peer.InstanceAsync("RENEWING", "renewing-1") is not { } now)
            {
                return false;
            }

            if (now.LeaseInfo.LastRenewalTimestamp != renewals[^1])
            {
                renewals.Add(now.LeaseInfo.LastRenewalTimestamp);
            }

            return true;
        }, TimeSpan.FromSeconds(3.5), "registered past its lease", () => service.Log);

        Assert.True(renewals.Count >= 3, $"lastRenewalTimestamp moved only {renewals.Count - 1} times in 3.5 s with 1 s heartbeats: {string.Join(", ", renewals)}");
        Assert.Equal(first.LeaseInfo.RegistrationTimestamp, (await Peer.InstanceAsync("RENEWING", "renewing-1"))!.LeaseInfo.RegistrationTimestamp);
    }

    [Fact]
    public async Task When_the_server_forgets_it_the_next_heartbeat_registers_it_again()
    {
        await using var service = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "forgotten", InstanceId = "forgotten-1" });
        var before = await Eventually.FoundAsync(
            async () => await Peer.InstanceAsync("FORGOTTEN", "forgotten-1") is { Status: InstanceStatus.UP } i ? i : null,
            Soon, "UP", () => service.Log);

        var forgottenAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Peer.ForgetAsync("FORGOTTEN", "forgotten-1");

        // One heartbeat interval (1 s) brings the 404 that makes it register again.
        var again = await Eventually.FoundAsync(
            () => Peer.InstanceAsync("FORGOTTEN", "forgotten-1"), TimeSpan.FromSeconds(2.5), "registered again", () => service.Log);
        Assert.True(again.LeaseInfo.RegistrationTimestamp >= forgottenAt, "a new registration, not the old one");
        Assert.True(again.LeaseInfo.RegistrationTimestamp > before.LeaseInfo.RegistrationTimestamp);
        Assert.Equal(InstanceStatus.UP, again.Status);
        Assert.Equal(service.Port, again.Port);
        Assert.Contains("registering again", service.Log);
    }

    [Fact]
    public async Task Stopping_gracefully_cancels_the_registration_at_once_not_by_expiry()
    {
        // A lease of 60 s: if it is gone as soon as the stop returns, only the cancel can have removed it.
        await using var service = await TestService.StartAsync(new TestServiceOptions(Peer)
        {
            AppName = "leaving",
            InstanceId = "leaving-1",
            LeaseExpirationDurationInSeconds = 60,
        });
        await Eventually.FoundAsync(
            async () => await Peer.InstanceAsync("LEAVING", "leaving-1") is { Status: InstanceStatus.UP } i ? i : null,
            Soon, "UP", () => service.Log);

        var stopping = Stopwatch.GetTimestamp();
        await service.StopAsync();
        Assert.Null(await Peer.InstanceAsync("LEAVING", "leaving-1"));
        Assert.True(Stopwatch.GetElapsedTime(stopping) < TimeSpan.FromSeconds(2), "the stop itself was quick");
        Assert.Contains("Left the registry: LEAVING/leaving-1 (200)", service.Log);

        // Nothing registers it again afterwards (no heartbeat outlives the stop).
        await Eventually.StaysAsync(async () => await Peer.InstanceAsync("LEAVING", "leaving-1") is null,
            TimeSpan.FromSeconds(1.5), "stays gone", () => service.Log);
    }

    [Fact]
    public async Task A_drained_stop_leaves_the_registry_then_serves_on_for_DrainSeconds_and_the_stop_signal_is_not_held_up()
    {
        var drain = TimeSpan.FromSeconds(3);
        await using var service = await TestService.StartAsync(new TestServiceOptions(Peer)
        {
            AppName = "draining",
            InstanceId = "draining-1",
            LeaseExpirationDurationInSeconds = 60,
            Settings = new Dictionary<string, string> { ["Eureka:Instance:DrainSeconds"] = drain.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        await Eventually.FoundAsync(
            async () => await Peer.InstanceAsync("DRAINING", "draining-1") is { Status: InstanceStatus.UP } i ? i : null,
            Soon, "UP", () => service.Log);

        // The signal (SIGTERM's handler) returns at once: leaving and draining are awaited by the host's stop, not done in it.
        var signalled = Stopwatch.GetTimestamp();
        service.SignalStop();
        Assert.True(Stopwatch.GetElapsedTime(signalled) < drain / 2, $"the stop signal took {Stopwatch.GetElapsedTime(signalled).TotalMilliseconds:0} ms");

        var asked = Stopwatch.GetTimestamp();
        var stopping = service.StopAsync();
        await Eventually.HoldsAsync(async () => await Peer.InstanceAsync("DRAINING", "draining-1") is null, Soon, "gone from the registry", () => service.Log);

        // Gone from the registry, and still serving, each response closing its connection so callers reconnect elsewhere.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{service.Port}/whoami"));
        var answeredWhileStopping = !stopping.IsCompleted;
        await stopping;
        var stopTook = Stopwatch.GetElapsedTime(asked);

        Assert.True(answeredWhileStopping, "the request was answered only after the stop had finished");
        Assert.Equal("draining-1", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.ConnectionClose, "a response while draining closes its connection");
        Assert.True(stopTook >= drain * 0.9, $"the stop took {stopTook.TotalMilliseconds:0} ms; it should serve on for {drain.TotalSeconds} s");
        Assert.Contains("Left the registry: DRAINING/draining-1 (200)", service.Log);
    }
}
