using Xunit.Abstractions;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>
/// A service reading a registry that holds instances no one can route to (see <see cref="HostileRegistry"/>), served by a
/// fake Eureka server because ours refuses to hold them: it keeps running, routes only to what is usable, says once
/// per bad instance why it does not route there, and keeps following the registry's deltas.
/// </summary>
public sealed class HostileRegistryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);
    private const string Warning = "Not routing to instance";

    [Fact]
    public async Task A_service_routes_only_to_the_usable_instances_of_a_hostile_registry_warns_once_per_bad_one_and_follows_its_deltas()
    {
        await using var good = await NamedServer.StartAsync(HostileRegistry.GoodId);
        await using var decoy = await NamedServer.StartAsync("decoy");
        await using var fake = await FakeEureka.StartAsync();
        var registry = HostileRegistry.Registry(good.Port, decoy.Port);
        var bad = HostileRegistry.Bad(decoy.Port);
        fake.Set(registry);
        await using var caller = await TestService.StartAsync(new TestServiceOptions(fake.EurekaUri.ToString()) { AppName = "web", InstanceId = "web-1" });
        await Eventually.HoldsAsync(() => caller.Registry.HasFetched, Soon, "first fetch", () => caller.Log + "\n" + fake);

        Assert.Equal(
            [HostileRegistry.GoodId, "products-lease-huge", "products-lease-text"],
            caller.RoutableInstances(HostileRegistry.Vip).Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        using var http = caller.CreateClient();
        var answers = await GetAllAsync(http, "http://products/whoami", 100);
        Assert.All(answers, answer => Assert.Equal(HostileRegistry.GoodId, answer));
        Assert.All(caller.Attempts, attempt => Assert.Equal(good.Port, attempt.Uri.Port));
        Assert.Equal(0, decoy.Served);

        // Five fetches later (one every 0.2 s), still one warning per bad instance, each naming it.
        await Eventually.HoldsAsync(() => fake.DeltaFetches >= 5, Soon, "five deltas", fake.ToString);
        var warnings = Warnings(caller);
        Assert.True(warnings.Count == bad.Count, $"{warnings.Count} warnings for {bad.Count} bad instances:\n{string.Join("\n", warnings)}");
        Assert.All(bad, instance => Assert.Contains(warnings, w => w.Contains($"{Warning} {instance.Id} ", StringComparison.Ordinal)));

        // A second good instance comes by delta: routed to, with no full fetch since the first (the hashcode matched).
        await using var good2 = await NamedServer.StartAsync("products-good-2");
        fake.Add(HostileRegistry.Good("products-good-2", good2.Port));
        await Eventually.HoldsAsync(() => caller.RoutableInstances(HostileRegistry.Vip).Any(i => i.InstanceId == "products-good-2"), Soon,
            "products-good-2 routable", () => caller.Log + "\n" + fake);
        answers = await GetAllAsync(http, "http://products/whoami", 40);
        Assert.All(answers, answer => Assert.Contains(answer, new[] { HostileRegistry.GoodId, "products-good-2" }));
        // Round robin over four endpoints (the two odd leases are the first good server again).
        Assert.InRange(answers.Count(a => a == "products-good-2"), 5, 15);
        Assert.Equal(0, decoy.Served);
        Assert.Equal(1, fake.FullFetches);
        Assert.Equal(bad.Count, Warnings(caller).Count);
        using var direct = new HttpClient();
        Assert.Equal("web-1", await direct.GetStringAsync($"http://127.0.0.1:{caller.Port}/whoami"));
        Report(output, $"{bad.Count} bad instances, {registry.Count} in all: {bad.Count} warnings; {fake.FullFetches} full fetch and {fake.DeltaFetches} deltas; {caller.Attempts.Count} attempts, all to the good servers");
    }

    [Fact]
    public async Task Bad_instances_arriving_by_delta_are_counted_in_the_hashcode_so_no_full_fetch_follows()
    {
        await using var good = await NamedServer.StartAsync(HostileRegistry.GoodId);
        await using var decoy = await NamedServer.StartAsync("decoy");
        await using var fake = await FakeEureka.StartAsync();
        fake.Set([HostileRegistry.Good(HostileRegistry.GoodId, good.Port)]);
        await using var caller = await TestService.StartAsync(new TestServiceOptions(fake.EurekaUri.ToString()) { AppName = "web", InstanceId = "web-1" });
        await Eventually.HoldsAsync(() => fake.DeltaFetches >= 2, Soon, "deltas after the first fetch", () => caller.Log + "\n" + fake);

        var bad = HostileRegistry.Bad(decoy.Port);
        foreach (var instance in bad)
        {
            fake.Add(instance);
        }

        var deltasBefore = fake.DeltaFetches;
        using var http = caller.CreateClient();
        await using (var traffic = Traffic.Start(http, "http://products/whoami"))
        {
            // Ten fetches with every bad instance in the delta.
            await Eventually.HoldsAsync(() => fake.DeltaFetches >= deltasBefore + 10, Soon, "ten more deltas", fake.ToString);
            await traffic.StopAsync();
            Assert.True(traffic.Failures.Count == 0, Traffic.Describe(traffic.Failures) + "\n" + caller.Log);
            Assert.True(traffic.Succeeded > 0);
        }

        Assert.True(fake.FullFetches == 1, $"{fake.FullFetches} full fetches:\n{fake}\n{caller.Log}");
        Assert.Equal(bad.Count, Warnings(caller).Count);
        Assert.Equal([HostileRegistry.GoodId], caller.RoutableInstances(HostileRegistry.Vip).Select(i => i.InstanceId));
        Assert.Equal(0, decoy.Served);
        Assert.All(caller.Attempts, attempt => Assert.Equal(good.Port, attempt.Uri.Port));
        Report(output, $"{fake.DeltaFetches - deltasBefore} deltas carrying {bad.Count} bad instances: {fake.FullFetches} full fetch in all, {bad.Count} warnings");
    }

    internal static List<string> Warnings(TestService service) =>
        [.. service.Log.Split('\n').Where(line => line.Contains(Warning, StringComparison.Ordinal))];

    /// <summary>Sends <paramref name="count"/> GETs one after the other; any failure fails the test.</summary>
    internal static async Task<List<string>> GetAllAsync(HttpClient http, string url, int count)
    {
        var answers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            answers.Add(await http.GetStringAsync(url));
        }

        return answers;
    }

    internal static void Report(ITestOutputHelper output, params string[] lines)
    {
        foreach (var line in lines)
        {
            output.WriteLine(line);
            // Also on the console: `dotnet test --logger "console;verbosity=normal"` shows the figures of a passing run.
            Console.WriteLine($"[hostile registry] {line}");
        }
    }
}
