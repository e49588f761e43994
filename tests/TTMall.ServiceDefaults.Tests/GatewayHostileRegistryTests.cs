using System.Net;
using Xunit.Abstractions;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>The real gateway process, its destinations built from a hostile registry (<see cref="HostileRegistry"/>).</summary>
public sealed class GatewayHostileRegistryTests(ITestOutputHelper output)
{
    /// <summary>The mall's local profile (fetch 0.5 s, heartbeat 1 s, lease 4 s), without the drain: nothing here waits for it.</summary>
    private static readonly DiscoveryProfile Profile = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.Zero);

    [Fact]
    public async Task The_gateway_routes_only_to_the_usable_instance_of_a_hostile_registry()
    {
        await using var good = await NamedServer.StartAsync(HostileRegistry.GoodId);
        await using var decoy = await NamedServer.StartAsync("decoy");
        await using var fake = await FakeEureka.StartAsync();
        var bad = HostileRegistry.Bad(decoy.Port);
        fake.Set(HostileRegistry.Registry(good.Port, decoy.Port));
        await using var gateway = MallService.Create("TTMall.Gateway", "gateway", "gateway-1", fake.EurekaUri.ToString(), Profile,
            publicKeys: null, connectionStrings: null);

        // Healthy only once it has fetched the registry; then a few deltas (one every 0.5 s), each with the bad instances in the copy.
        await gateway.StartAsync(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => fake.DeltaFetches >= 3, TimeSpan.FromSeconds(5), "three deltas", () => gateway.Log + "\n" + fake);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var failures = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(gateway.BaseUri, "api/products/x"));
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK || body != HostileRegistry.GoodId)
                {
                    failures.Add($"{(int)response.StatusCode} {body}");
                }
            }
            catch (HttpRequestException e)
            {
                failures.Add(e.Message);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 50 failed:\n{string.Join("\n", failures.Take(5))}\n{gateway.Log}");
        Assert.Equal(50, good.Requests.Count(path => path == "/api/products/x"));
        Assert.Equal(0, decoy.Served);
        Assert.True(gateway.IsRunning, gateway.Log);
        Assert.Contains("POST /eureka/apps/GATEWAY 204", fake.Requests);
        var warnings = gateway.Lines.Where(l => l.Text.Contains("Not routing to instance", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count == bad.Count, $"{warnings.Count} warnings for {bad.Count} bad instances:\n{gateway.Log}");
        Assert.Equal(1, fake.FullFetches);
        HostileRegistryTests.Report(output, [
            $"gateway: 50 of 50 GET /api/products/x answered by {HostileRegistry.GoodId}, decoy {decoy.Served}; {warnings.Count} warnings for {bad.Count} bad instances; " +
            $"{fake.FullFetches} full fetch, {fake.DeltaFetches} deltas",
            .. warnings.Select(w => w.Text)]);
    }
}
