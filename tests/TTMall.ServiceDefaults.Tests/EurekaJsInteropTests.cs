using TTMall.Eureka;
using Xunit.Abstractions;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>Our client and the npm eureka-js-client, through our server: each sees the other, and ours routes to the js instance.</summary>
public sealed class EurekaJsInteropTests(SharedDiscoveryPeer shared, ITestOutputHelper output) : IClassFixture<SharedDiscoveryPeer>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);

    private DiscoveryPeer Peer => shared.Peer;

    [Fact]
    public async Task Eureka_js_client_and_our_client_see_each_other_and_ours_drops_the_js_instance_once_it_deregisters()
    {
        await using var dotnet = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "Orders", InstanceId = "orders-dotnet-1" });
        await Eventually.FoundAsync(
            async () => await Peer.InstanceAsync("ORDERS", "orders-dotnet-1") is { Status: InstanceStatus.UP } i ? i : null, Soon, "the .NET instance UP", () => dotnet.Log);

        await using var js = await EurekaJsClient.StartAsync(TestDiscovery.ServiceUrls(Peer.EurekaUri.ToString(), "JSINTEROP"), "orders", "orders-dotnet-1");
        await js.WaitForAsync("READY", TimeSpan.FromSeconds(30));

        // While it is registered: our client has it, UP, under its VIP, with the id the server gave it (its host name).
        var seen = await Eventually.FoundAsync(
            () => Task.FromResult(dotnet.RoutableInstances("jsinterop").SingleOrDefault()), Soon, "the js instance in our registry",
            () => js.Output + "\n" + dotnet.Log);
        Assert.Equal("localhost", seen.InstanceId);
        Assert.Equal("JSINTEROP", seen.App);
        Assert.Equal(InstanceStatus.UP, seen.Status);
        Assert.True(seen.Port > 0, js.Output);
        using var http = dotnet.CreateClient();
        try
        {
            Assert.Equal("eureka-js-client instance", await http.GetStringAsync("http://jsinterop/"));
        }
        catch (HttpRequestException e)
        {
            throw new Xunit.Sdk.XunitException($"calling the js instance through our client failed: {e.Message}\n{js.Output}");
        }

        // A lease of 90 s (the server's default, eureka-js-client sends none): gone within seconds means deregistered.
        await js.SendAsync("DEREGISTER");
        Assert.True(await js.ExitCodeAsync(TimeSpan.FromSeconds(10)) == 0, js.Output);
        Assert.Contains("DEREGISTERED", js.Output);
        Assert.Null(await Peer.InstanceAsync("JSINTEROP", "localhost"));
        await Eventually.HoldsAsync(() => dotnet.Registry.Instances("jsinterop").Count == 0, TimeSpan.FromSeconds(1.5), "the js instance gone from our registry",
            () => js.Output + "\n" + dotnet.Log);
        output.WriteLine(js.Output);
    }
}
