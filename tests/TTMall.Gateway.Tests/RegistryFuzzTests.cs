using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using TTMall.Eureka;
using Xunit.Abstractions;

namespace TTMall.Gateway.Tests;

/// <summary>
/// Registry data is untrusted input everywhere. Thousands of random and malformed writes through every write endpoint of
/// both peers, while shoppers' traffic runs through the gateways: nothing exits, nothing hangs, every bad write is a
/// 4xx, the gateways keep routing, and the peers end in agreement. Set TTMALL_FUZZ_SEED to replay a run.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RegistryFuzzTests(MallCluster cluster, ITestOutputHelper output)
{
    private const int Writes = 6_000;
    private const int Concurrency = 4;

    [Fact]
    public async Task Thousands_of_random_registry_writes_leave_every_process_up_the_gateway_routing_and_the_peers_agreeing()
    {
        await cluster.EnsureAllRunningAsync();
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TTMALL_FUZZ_SEED"), CultureInfo.InvariantCulture, out var given) ? given : Random.Shared.Next();
        output.WriteLine($"seed {seed} (TTMALL_FUZZ_SEED={seed} replays this run)");
        var fuzzer = new RegistryFuzzer(seed, [.. cluster.Products.Concat(cluster.Gateways).Select(p => p.Name)]);
        var writes = Enumerable.Range(0, Writes).Select(_ => fuzzer.Next()).ToList();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var wrong = new ConcurrentQueue<string>();
        var byStatus = new ConcurrentDictionary<int, int>();

        try
        {
            using var door = new FrontDoor(cluster.Gateways);
            var traffic = ShopTraffic.Start(door.Client, cluster.ProductIds, new TrafficMix(Gets: 2, IdempotentPosts: 0) { Pause = TimeSpan.FromMilliseconds(20) });
            await using (traffic)
            {
                // Four writers at once; each instance's valid writes all go to its one peer, as a real client's do.
                var lanes = writes.Select((write, index) => (write, index)).GroupBy(w => w.index % Concurrency);
                await Task.WhenAll(lanes.Select(lane => Task.Run(async () =>
                {
                    var random = new Random(seed + lane.Key);
                    foreach (var (write, _) in lane)
                    {
                        var peer = cluster.Peers[write.Peer ?? random.Next(2)];
                        var (status, items, error) = await SendAsync(http, peer, write);
                        byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
                        // A batch is answered 200 with a status per item: then each bad item must be refused.
                        var refused = status is >= 400 and < 500 || (status == 200 && items is { Count: > 0 } && items.All(i => i is >= 400 and < 500));
                        if (error is not null || status >= 500 || (items?.Any(i => i >= 500) ?? false) || (write.Bad && !refused))
                        {
                            wrong.Enqueue($"{status} {error} ← {write}");
                        }
                    }
                })));

                var fuzzed = DateTime.UtcNow;
                // The readers fetch what the last writes did within half a second; the shoppers go on meanwhile.
                await Task.Delay(TimeSpan.FromSeconds(3));
                await traffic.StopAsync();
                output.WriteLine($"{Writes} writes: {string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}"))}; " +
                    $"{writes.Count(w => w.Bad)} bad. Traffic through the gateways: {traffic.Exchanges.Count} requests, {traffic.Failures.Count} failed.");

                Assert.True(wrong.IsEmpty, $"seed {seed}: {wrong.Count} writes answered wrongly:\n{string.Join("\n", wrong.Take(20))}");
                Assert.True(traffic.Failures.Count == 0, $"seed {seed}: failed requests:\n{Traffic.Describe(traffic.Failures)}\n{cluster.Diagnostics()}");
                var duringFuzz = traffic.Exchanges.Count(e => e.SentUtc < fuzzed);
                Assert.True(duringFuzz > 20, $"too little traffic during the writes to tell: {duringFuzz}");
            }

            var stopped = cluster.Peers.Where(p => !p.IsRunning).Select(p => $"discovery {p.Port}:\n{p.Log}")
                .Concat(cluster.Products.Concat(cluster.Gateways).Where(p => !p.IsRunning).Select(p => $"{p.Name}:\n{p.Log}")).ToList();
            Assert.True(stopped.Count == 0, $"seed {seed}: processes exited:\n{string.Join("\n\n", stopped)}");

            // Peers converge as Eureka's do, through the instances' own heartbeats: each fuzz instance's client renews
            // once at its peer, which sends its copy along (a peer that holds another copy takes it, or hands back a
            // newer one). Concurrent writes and replication can leave the peers disagreeing until then.
            await RenewFuzzInstancesAsync(http);

            string[] views = [];
            await Eventually.HoldsAsync(async () =>
                {
                    views = await Task.WhenAll(cluster.Peers.Select(async p => View(await MallCluster.AppsAsync(p))));
                    return views[0] == views[1];
                },
                TimeSpan.FromSeconds(15), "both peers hold the same registry", () => $"seed {seed}\nA: {views.ElementAtOrDefault(0)}\nB: {views.ElementAtOrDefault(1)}");
            output.WriteLine($"the peers agree on {views[0].Split('\n').Length} instances");
        }
        finally
        {
            await RemoveFuzzInstancesAsync(http);
        }

        await cluster.EnsureAllRunningAsync();
    }

    private static async Task<(int Status, IReadOnlyList<int>? Items, string? Error)> SendAsync(HttpClient http, DiscoveryPeer peer, FuzzWrite write)
    {
        using var request = new HttpRequestMessage(write.Method, new Uri(peer.BaseUri, write.Path));
        if (write.Body is { } body)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(write.ContentType ?? "application/json");
        }

        request.Headers.Authorization = TestDiscovery.Owner(write.Path, write.Replication);
        if (write.Replication)
        {
            request.Headers.Add("x-netflix-discovery-replication", "true");
        }

        try
        {
            using var response = await http.SendAsync(request);
            var items = response.IsSuccessStatusCode && write.Path.EndsWith("peerreplication/batch", StringComparison.Ordinal)
                ? ReplicationResults(await response.Content.ReadAsStringAsync())
                : null;
            return ((int)response.StatusCode, items, null);
        }
        catch (TaskCanceledException)
        {
            return (0, null, "no answer within 5 s");
        }
        catch (HttpRequestException e)
        {
            return (0, null, e.Message);
        }
    }

    private static IReadOnlyList<int> ReplicationResults(string body) =>
        [.. System.Text.Json.Nodes.JsonNode.Parse(body)!["responseList"]!.AsArray().Select(r => (int)r!["statusCode"]!)];

    /// <summary>What both peers must agree on: every instance's address, statuses and metadata, in one text.</summary>
    private static string View(Applications applications) => string.Join("\n", applications.AllInstances
        .OrderBy(i => i.InstanceId, StringComparer.Ordinal)
        .Select(i => $"{i.App}/{i.InstanceId} {i.BaseUri} {i.Status}/{i.OverriddenStatus} " +
            string.Join(",", i.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"))));

    private async Task RenewFuzzInstancesAsync(HttpClient http)
    {
        for (var home = 0; home < cluster.Peers.Count; home++)
        {
            var peer = cluster.Peers[home];
            foreach (var instance in (await MallCluster.AppsAsync(peer)).AllInstances.Where(i => RegistryFuzzer.HomePeer(i.App, i.InstanceId) == home))
            {
                using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Put, new Uri(peer.EurekaUri, $"apps/{instance.App}/{Uri.EscapeDataString(instance.InstanceId)}"))
                {
                    Headers = { Authorization = TestDiscovery.App(instance.App) },
                });
            }
        }
    }

    private async Task RemoveFuzzInstancesAsync(HttpClient http)
    {
        foreach (var peer in cluster.Peers)
        {
            foreach (var instance in (await MallCluster.AppsAsync(peer)).AllInstances.Where(i => RegistryFuzzer.IsFuzzApp(i.App)))
            {
                using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, new Uri(peer.EurekaUri, $"apps/{instance.App}/{Uri.EscapeDataString(instance.InstanceId)}"))
                {
                    Headers = { Authorization = TestDiscovery.App(instance.App) },
                });
            }
        }

        await Eventually.HoldsAsync(async () =>
            {
                foreach (var peer in cluster.Peers)
                {
                    if ((await MallCluster.AppsAsync(peer)).AllInstances.Any(i => RegistryFuzzer.IsFuzzApp(i.App)))
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(10), "the fuzzer's instances are gone from both peers");
    }
}
