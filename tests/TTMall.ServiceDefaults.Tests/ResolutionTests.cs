using System.Diagnostics;
using TTMall.Eureka;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>http://{service}/… through an IHttpClientFactory client: round robin over UP instances, clear failures, host names untouched.</summary>
public sealed class ResolutionTests(SharedDiscoveryPeer shared) : IClassFixture<SharedDiscoveryPeer>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);

    private DiscoveryPeer Peer => shared.Peer;

    [Fact]
    public async Task Requests_to_a_service_name_take_turns_over_its_instances()
    {
        await using var a = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "Reviews", InstanceId = "reviews-a" });
        await using var b = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "Reviews", InstanceId = "reviews-b" });
        await using var caller = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "web", InstanceId = "web-rr", Register = false });
        await Eventually.HoldsAsync(() => caller.RoutableInstances("reviews").Count == 2, Soon, "both reviews instances routable", () => caller.Log);

        using var http = caller.CreateClient();
        var answers = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            // The VIP is matched case-insensitively.
            answers.Add(await http.GetStringAsync(i % 2 == 0 ? "http://reviews/whoami" : "http://REVIEWS/whoami"));
        }

        Assert.Equal(10, answers.Count(x => x == "reviews-a"));
        Assert.Equal(10, answers.Count(x => x == "reviews-b"));
        Assert.All(answers.Zip(answers.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.All(caller.Attempts, attempt =>
        {
            Assert.Equal("localhost", attempt.Uri.Host);
            Assert.Contains(attempt.Uri.Port, new[] { a.Port, b.Port });
        });
    }

    [Fact]
    public async Task Only_UP_instances_get_traffic_and_an_OUT_OF_SERVICE_override_takes_one_out_within_a_second()
    {
        await using var a = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "carts", InstanceId = "carts-a" });
        await using var b = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "carts", InstanceId = "carts-b" });
        await using var caller = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "web", InstanceId = "web-oos", Register = false });
        await Eventually.HoldsAsync(() => caller.RoutableInstances("carts").Count == 2, Soon, "both carts instances routable", () => caller.Log);

        using var http = caller.CreateClient();
        await using var traffic = Traffic.Start(http, "http://carts/whoami");
        await Eventually.HoldsAsync(() => a.Served > 10 && b.Served > 10, Soon, "both serve");

        var overridden = Stopwatch.GetTimestamp();
        await Peer.OverrideStatusAsync("CARTS", "carts-b", InstanceStatus.OUT_OF_SERVICE);
        await Eventually.HoldsAsync(() => caller.RoutableInstances("carts").Count == 1, Soon, "carts-b no longer routable", () => caller.Log);
        // Its own heartbeats (status=UP) must not undo the override: watch for two of them.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var lastToB = caller.Attempts.Where(x => x.Uri.Port == b.Port).Max(x => x.Sent);
        var afterOverride = Stopwatch.GetElapsedTime(overridden, lastToB);
        Assert.True(afterOverride < TimeSpan.FromSeconds(1), $"carts-b still got a request {afterOverride.TotalMilliseconds:0} ms after its OUT_OF_SERVICE override");
        Assert.Equal(InstanceStatus.OUT_OF_SERVICE, (await Peer.InstanceAsync("CARTS", "carts-b"))?.EffectiveStatus);

        await Peer.RemoveStatusOverrideAsync("CARTS", "carts-b");
        var servedByB = b.Served;
        await Eventually.HoldsAsync(() => b.Served > servedByB, Soon, "carts-b serves again once the override is gone", () => caller.Log);

        await traffic.StopAsync();
        Assert.True(traffic.Failures.Count == 0, Traffic.Describe(traffic.Failures));
    }

    [Fact]
    public async Task An_instance_that_is_not_UP_is_never_chosen_even_when_it_is_the_only_one()
    {
        await using var caller = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "web", InstanceId = "web-down", Register = false });
        await Peer.RegisterAsync(RegistryServer.Instance("payments", "payments-down", FreePort.OnLoopback()) with { Status = InstanceStatus.DOWN });
        await Eventually.HoldsAsync(() => caller.Registry.Instances("payments").Count == 1, Soon, "the DOWN instance is in the client's registry", () => caller.Log);

        using var http = caller.CreateClient();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync("http://payments/"));
        Assert.Contains("No instance of 'payments' is UP", error.Message);
        Assert.Empty(caller.Attempts);
    }

    [Fact]
    public async Task An_unknown_service_name_fails_with_a_message_naming_it()
    {
        await using var caller = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "web", InstanceId = "web-unknown", Register = false });
        await Eventually.HoldsAsync(() => caller.Registry.HasFetched, Soon, "first fetch", () => caller.Log);

        using var http = caller.CreateClient();
        var started = Stopwatch.GetTimestamp();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync("http://no-such-service/api/things"));
        Assert.Contains("'no-such-service'", error.Message);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(2), "fails at once, not after retries");
        Assert.Empty(caller.Attempts);
    }

    [Fact]
    public async Task Before_any_registry_was_fetched_a_service_name_fails_saying_so()
    {
        var nobody = FreePort.OnLoopback();
        await using var caller = await TestService.StartAsync(new TestServiceOptions($"http://127.0.0.1:{nobody}/eureka/") { AppName = "web", InstanceId = "web-unfetched", Register = false });

        using var http = caller.CreateClient();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync("http://products/"));
        Assert.Contains("'products'", error.Message);
        Assert.Contains("no registry fetched yet", error.Message);
    }

    [Fact]
    public async Task Host_names_and_addresses_pass_through_unresolved()
    {
        await using var target = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "passthrough", InstanceId = "passthrough-1" });
        await using var caller = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "web", InstanceId = "web-pass", Register = false });

        using var http = caller.CreateClient();
        Assert.Equal("passthrough-1", await http.GetStringAsync($"http://localhost:{target.Port}/whoami"));
        Assert.Equal("passthrough-1", await http.GetStringAsync($"http://127.0.0.1:{target.Port}/whoami"));
        Assert.All(caller.Attempts, attempt => Assert.Equal(target.Port, attempt.Uri.Port));
        Assert.Equal(["localhost", "127.0.0.1"], caller.Attempts.Select(x => x.Uri.Host));
    }
}
