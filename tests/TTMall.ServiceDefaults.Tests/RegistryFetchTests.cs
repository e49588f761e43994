using TTMall.Eureka;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>The client's copy of the registry: one full fetch, then deltas checked by hashcode, a full fetch when they disagree.</summary>
public sealed class RegistryFetchTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task It_fetches_the_whole_registry_once_then_only_deltas_and_sees_a_new_instance_within_a_second()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);
        await using var proxy = await RecordingProxy.StartAsync(peer.BaseUri);
        await using var client = await TestService.StartAsync(new TestServiceOptions(proxy.EurekaUri.ToString()) { AppName = "web", InstanceId = "web-1", Register = false });
        await Eventually.HoldsAsync(() => client.Registry.HasFetched, Soon, "first fetch", () => client.Log);
        await Eventually.HoldsAsync(() => proxy.Requests.Count(r => r.Path == "/eureka/apps/delta") >= 3, Soon, "a few deltas", proxy.ToString);

        await peer.RegisterAsync(RegistryServer.Instance("products", "products-new", 5999));
        var seenAfter = await Eventually.HoldsAsync(() => client.Registry.Instances("products").Count == 1, Soon, "the new instance in the client's registry", () => client.Log);

        Assert.True(seenAfter < TimeSpan.FromSeconds(1), $"seen after {seenAfter.TotalMilliseconds:0} ms with a 0.2 s fetch interval");
        var instance = Assert.Single(client.RoutableInstances("products"));
        Assert.Equal("products-new", instance.InstanceId);
        Assert.Equal(new Uri("http://localhost:5999/"), instance.BaseUri);

        var reads = proxy.Requests.Where(r => r.Method == "GET").Select(r => r.Path).ToList();
        Assert.Equal("/eureka/apps/", reads[0]);
        Assert.All(reads.Skip(1), path => Assert.Equal("/eureka/apps/delta", path));
    }

    [Fact]
    public async Task Instances_leave_the_clients_registry_through_deltas_when_cancelled_or_expired()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);
        await using var client = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "web", InstanceId = "web-1", Register = false });
        await peer.RegisterAsync(RegistryServer.Instance("users", "users-cancelled", 5998));
        await peer.RegisterAsync(RegistryServer.Instance("users", "users-expiring", 5997, leaseSeconds: 1));
        await Eventually.HoldsAsync(() => client.Registry.Instances("users").Count == 2, Soon, "both users instances", () => client.Log);

        await peer.ForgetAsync("USERS", "users-cancelled");
        await Eventually.HoldsAsync(() => client.Registry.Instances("users").All(i => i.InstanceId != "users-cancelled"), TimeSpan.FromSeconds(1), "the cancelled instance leaves", () => client.Log);
        await Eventually.HoldsAsync(() => client.Registry.Instances("users").Count == 0, Soon, "the expired instance leaves", () => client.Log);
    }

    [Fact]
    public async Task A_delta_that_does_not_add_up_to_the_servers_hashcode_makes_it_fetch_the_whole_registry()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);
        await using var proxy = await RecordingProxy.StartAsync(peer.BaseUri);
        await using var client = await TestService.StartAsync(new TestServiceOptions(proxy.EurekaUri.ToString()) { AppName = "web", InstanceId = "web-1", Register = false });
        await peer.RegisterAsync(RegistryServer.Instance("orders", "orders-old", 5996));
        await Eventually.HoldsAsync(() => client.Registry.Instances("orders").Count == 1, Soon, "orders-old in the client's registry", () => client.Log);

        // The server comes back empty: its deltas never mention orders-old, so only a full fetch can remove it.
        var beforeRestart = proxy.Requests.Count;
        await peer.KillAsync();
        await peer.StartAsync();
        await peer.RegisterAsync(RegistryServer.Instance("orders", "orders-new", 5995));

        await Eventually.HoldsAsync(
            () => client.Registry.Instances("orders") is [{ InstanceId: "orders-new" }], Soon, "only orders-new in the client's registry",
            () => client.Log + "\n" + proxy);
        var sinceRestart = proxy.Requests.Skip(beforeRestart).Where(r => r.Status == 200).Select(r => r.Path).ToList();
        var firstDelta = sinceRestart.IndexOf("/eureka/apps/delta");
        Assert.True(firstDelta >= 0 && sinceRestart.IndexOf("/eureka/apps/", firstDelta) > firstDelta, "a delta first, then the full fetch it called for:\n" + proxy);
    }

    [Fact]
    public async Task A_status_change_reaches_the_client_by_delta_with_a_matching_hashcode()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);
        await using var proxy = await RecordingProxy.StartAsync(peer.BaseUri);
        await using var client = await TestService.StartAsync(new TestServiceOptions(proxy.EurekaUri.ToString()) { AppName = "web", InstanceId = "web-1", Register = false });
        await peer.RegisterAsync(RegistryServer.Instance("search", "search-1", 5994));
        await peer.RegisterAsync(RegistryServer.Instance("search", "search-2", 5993));
        await Eventually.HoldsAsync(() => client.RoutableInstances("search").Count == 2, Soon, "both routable", () => client.Log);
        var before = proxy.Requests.Count;

        await peer.OverrideStatusAsync("SEARCH", "search-2", InstanceStatus.OUT_OF_SERVICE);
        await Eventually.HoldsAsync(() => client.RoutableInstances("search") is [{ InstanceId: "search-1" }], TimeSpan.FromSeconds(1), "search-2 not routable", () => client.Log);
        Assert.Equal(InstanceStatus.OUT_OF_SERVICE, client.Registry.Instances("search").Single(i => i.InstanceId == "search-2").EffectiveStatus);

        await Task.Delay(TimeSpan.FromSeconds(0.5));
        Assert.DoesNotContain(proxy.Requests.Skip(before), r => r.Path == "/eureka/apps/");
    }
}
