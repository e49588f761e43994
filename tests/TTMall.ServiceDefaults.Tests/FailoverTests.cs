using System.Diagnostics;
using TTMall.Eureka;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>Several servers in Eureka:Client:ServiceUrl, some of them down; or all of them down.</summary>
public sealed class FailoverTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task With_the_first_server_down_it_registers_and_fetches_through_the_next()
    {
        var dead = FreePort.OnLoopback();
        await using var alive = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);
        await using var service = await TestService.StartAsync(new TestServiceOptions($"http://127.0.0.1:{dead}/eureka/,{alive.EurekaUri}")
        {
            AppName = "catalog",
            InstanceId = "catalog-1",
        });

        var registered = await Eventually.FoundAsync(
            async () => await alive.InstanceAsync("CATALOG", "catalog-1") is { Status: InstanceStatus.UP } i ? i : null,
            Soon, "UP on the live server", () => service.Log);
        Assert.Equal(service.Port, registered.Port);
        await Eventually.HoldsAsync(() => service.RoutableInstances("catalog").Count == 1, Soon, "itself in its registry", () => service.Log);

        using var http = service.CreateClient();
        Assert.Equal("catalog-1", await http.GetStringAsync("http://catalog/whoami"));
        // Held past the lease: the heartbeats reach the live server too.
        await Eventually.StaysAsync(async () => await alive.InstanceAsync("CATALOG", "catalog-1") is not null, TimeSpan.FromSeconds(3.5), "stays registered", () => service.Log);
    }

    [Fact]
    public async Task When_the_peer_in_use_is_killed_the_client_carries_on_with_the_other()
    {
        var (a, b) = await DiscoveryPeer.StartPairAsync(RegistryServer.FastEviction);
        await using (a)
        await using (b)
        {
            await using var service = await TestService.StartAsync(new TestServiceOptions($"{a.EurekaUri},{b.EurekaUri}") { AppName = "catalog", InstanceId = "catalog-1" });
            await Eventually.FoundAsync(
                async () => await a.InstanceAsync("CATALOG", "catalog-1") is { Status: InstanceStatus.UP } i ? i : null, Soon, "UP on a", () => service.Log);
            await Eventually.FoundAsync(
                async () => await b.InstanceAsync("CATALOG", "catalog-1") is { Status: InstanceStatus.UP } i ? i : null, Soon, "replicated to b", () => service.Log);
            await Eventually.HoldsAsync(() => service.RoutableInstances("catalog").Count == 1, Soon, "itself in its registry", () => service.Log);

            await a.KillAsync();

            // Fetches go to b: something registered only there reaches the client.
            await b.RegisterAsync(RegistryServer.Instance("products", "products-on-b", 5990));
            await Eventually.HoldsAsync(() => service.RoutableInstances("products").Count == 1, TimeSpan.FromSeconds(2), "products-on-b in the client's registry", () => service.Log);

            // Heartbeats go to b: the 3 s lease is renewed there, with nobody left to replicate them.
            var renewed = (await b.InstanceAsync("CATALOG", "catalog-1"))!.LeaseInfo.LastRenewalTimestamp;
            await Eventually.StaysAsync(async () => await b.InstanceAsync("CATALOG", "catalog-1") is not null, TimeSpan.FromSeconds(3.5), "stays registered on b", () => service.Log + "\n" + b.Log);
            Assert.True((await b.InstanceAsync("CATALOG", "catalog-1"))!.LeaseInfo.LastRenewalTimestamp > renewed + 2000, "renewed on b since a died");

            using var http = service.CreateClient();
            Assert.Equal("catalog-1", await http.GetStringAsync("http://catalog/whoami"));
        }
    }

    [Fact]
    public async Task With_every_server_down_it_keeps_routing_on_the_last_registry_it_fetched()
    {
        var peer = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);
        await using (peer)
        {
            await using var a = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "products", InstanceId = "products-a" });
            await using var b = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "products", InstanceId = "products-b" });
            await using var caller = await TestService.StartAsync(new TestServiceOptions(peer) { AppName = "web", InstanceId = "web-1", Register = false });
            await Eventually.HoldsAsync(() => caller.RoutableInstances("products").Count == 2, Soon, "both routable", () => caller.Log);

            await peer.KillAsync();
            var killed = Stopwatch.GetTimestamp();
            await Eventually.HoldsAsync(() => caller.Log.Contains("No Eureka server answers"), Soon, "the caller notices", () => caller.Log);
            // Longer than the instances' 3 s lease: the last registry is a cache, not something that runs out.
            await Task.Delay(TimeSpan.FromSeconds(3.5) - Stopwatch.GetElapsedTime(killed));

            using var http = caller.CreateClient();
            var answers = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                answers.Add(await http.GetStringAsync("http://products/whoami"));
            }

            Assert.Equal(5, answers.Count(x => x == "products-a"));
            Assert.Equal(5, answers.Count(x => x == "products-b"));
            Assert.Equal(2, caller.Registry.Instances("products").Count);

            // And when a server answers again, fetching resumes.
            await peer.StartAsync();
            await Eventually.HoldsAsync(() => caller.Log.Contains("Eureka answers again"), Soon, "fetches resume", () => caller.Log);
        }
    }
}
