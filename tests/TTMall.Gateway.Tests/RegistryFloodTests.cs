using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Xunit.Abstractions;

namespace TTMall.Gateway.Tests;

/// <summary>
/// A registration flood, every registration within the limits, once made every service fetch and parse a 22 MB delta
/// twice a second: load average 2 → 40, each service 1 GB, real instances evicted for want of their heartbeats. The
/// registry's bounds refuse a flood before it costs the readers (services and gateways) anything they would notice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RegistryFloodTests(MallCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task A_registration_flood_is_refused_before_the_readers_memory_or_CPU_moves_and_the_mall_routes_on()
    {
        await cluster.EnsureAllRunningAsync();
        ServiceProcess[] readers = [cluster.Replica("products-1"), cluster.Gateways[0]];
        var registered = await RegistrationsAsync();
        using var door = new FrontDoor(cluster.Gateways);
        var traffic = ShopTraffic.Start(door.Client, cluster.ProductIds, new TrafficMix(Gets: 2, IdempotentPosts: 0) { Pause = TimeSpan.FromMilliseconds(20) });
        await using (traffic)
        {
            var before = await MeasureAsync(readers, Window, CancellationToken.None);

            using var flooding = new CancellationTokenSource();
            var statuses = new ConcurrentDictionary<int, int>();
            var flood = Task.WhenAll(Enumerable.Range(0, 4).Select(attacker => FloodAsync(attacker, statuses, flooding.Token)));
            var during = await MeasureAsync(readers, Window, CancellationToken.None);
            await flooding.CancelAsync();
            await flood;

            var full = await FetchAsync(cluster.PeerA, "apps");
            var delta = await FetchAsync(cluster.PeerA, "apps/delta");
            // The documents stay this large until the flood's changes leave the delta: the readers' steady cost after it.
            var after = await MeasureAsync(readers, Window, CancellationToken.None);
            await traffic.StopAsync();

            output.WriteLine($"flood: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}"))}; " +
                $"full document {full.Length / 1024} KB, delta {delta.Length / 1024} KB");
            foreach (var reader in readers)
            {
                output.WriteLine($"{reader.Name}: CPU {before[reader.Name].Cpu:P1} → {during[reader.Name].Cpu:P1} during → {after[reader.Name].Cpu:P1} after; " +
                    $"memory {before[reader.Name].RssMb:F0} → {during[reader.Name].RssMb:F0} → {after[reader.Name].RssMb:F0} MB");
            }

            output.WriteLine($"traffic: {traffic.Exchanges.Count} requests, {traffic.Failures.Count} failed");

            Assert.True(statuses.GetValueOrDefault(507) + statuses.GetValueOrDefault(429) > 0, "the flood was never refused");
            Assert.InRange(full.Length, 1, 256 * 1024 + 8 * 1024);
            Assert.InRange(delta.Length, 1, 2 * (256 * 1024 + 8 * 1024));
            foreach (var reader in readers)
            {
                // A tenth of a core and 64 MB: far below what the flood once cost, above this machine's noise.
                Assert.True(during[reader.Name].Cpu - before[reader.Name].Cpu < 0.10 && after[reader.Name].Cpu - before[reader.Name].Cpu < 0.10,
                    $"{reader.Name}'s CPU: {before[reader.Name].Cpu:P1} → {during[reader.Name].Cpu:P1} → {after[reader.Name].Cpu:P1}");
                Assert.True(Math.Max(during[reader.Name].RssMb, after[reader.Name].RssMb) - before[reader.Name].RssMb < 64,
                    $"{reader.Name}'s memory: {before[reader.Name].RssMb:F0} → {during[reader.Name].RssMb:F0} → {after[reader.Name].RssMb:F0} MB");
            }

            Assert.True(traffic.Failures.Count == 0, $"failed requests:\n{Traffic.Describe(traffic.Failures)}\n{cluster.Diagnostics()}");
        }

        try
        {
            // The mall's own instances were never evicted and registered again: their heartbeats kept up.
            Assert.Equal(registered, await RegistrationsAsync());
        }
        finally
        {
            await RemoveFloodAsync();
        }

        await cluster.EnsureAllRunningAsync();
    }

    /// <summary>When each of the mall's own instances was last registered, as peer A has it.</summary>
    private async Task<string> RegistrationsAsync() => string.Join(", ", (await MallCluster.AppsAsync(cluster.PeerA)).AllInstances
        .Where(i => !i.App.StartsWith("FLOOD", StringComparison.Ordinal))
        .OrderBy(i => i.InstanceId, StringComparer.Ordinal)
        .Select(i => $"{i.InstanceId}@{i.LeaseInfo.RegistrationTimestamp}"));

    /// <summary>Registers (and now and then cancels) instances as large as the rules allow, as fast as it is answered.</summary>
    private async Task FloodAsync(int attacker, ConcurrentDictionary<int, int> statuses, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var metadata = string.Join(",", Enumerable.Range(0, 20).Select(k => $"\"key{k:00}\":\"{new string('m', 90)}\""));
        for (var i = 0; !ct.IsCancellationRequested; i++)
        {
            var peer = cluster.Peers[(attacker + i) % 2];
            var (app, id) = ($"FLOOD{attacker}", $"flood-{attacker}-{i}");
            var body = "{\"instance\":{\"instanceId\":\"" + id + "\",\"hostName\":\"localhost\",\"app\":\"" + app + "\",\"ipAddr\":\"127.0.0.1\",\"status\":\"UP\",\"port\":{\"$\":9,\"@enabled\":\"true\"},"
                + "\"dataCenterInfo\":{\"@class\":\"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo\",\"name\":\"MyOwn\"},\"vipAddress\":\"" + app.ToLowerInvariant() + "\",\"metadata\":{" + metadata + "}}}";
            try
            {
                // The flooder holds its own application's credential: the worst a compromised service could do.
                using var register = new HttpRequestMessage(HttpMethod.Post, new Uri(peer.EurekaUri, $"apps/{app}"))
                {
                    Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                    Headers = { Authorization = TestDiscovery.App(app) },
                };
                using var response = await http.SendAsync(register, ct);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if (i % 3 == 0)
                {
                    using var cancel = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, new Uri(peer.EurekaUri, $"apps/{app}/{id}"))
                    {
                        Headers = { Authorization = TestDiscovery.App(app) },
                    }, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (HttpRequestException)
            {
                statuses.AddOrUpdate(0, 1, (_, n) => n + 1);
            }
        }
    }

    private async Task RemoveFloodAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var peer in cluster.Peers)
        {
            foreach (var instance in (await MallCluster.AppsAsync(peer)).AllInstances.Where(i => i.App.StartsWith("FLOOD", StringComparison.Ordinal)))
            {
                using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, new Uri(peer.EurekaUri, $"apps/{instance.App}/{instance.InstanceId}"))
                {
                    Headers = { Authorization = TestDiscovery.App(instance.App) },
                });
            }
        }
    }

    private static async Task<byte[]> FetchAsync(DiscoveryPeer peer, string path)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        return await http.GetByteArrayAsync(new Uri(peer.EurekaUri, path));
    }

    /// <summary>Each process's CPU (cores' worth, from /proc/pid/stat) over the window, and its resident memory at the end.</summary>
    private static async Task<Dictionary<string, (double Cpu, double RssMb)>> MeasureAsync(IReadOnlyList<ServiceProcess> processes, TimeSpan window, CancellationToken ct)
    {
        var start = processes.ToDictionary(p => p.Name, p => CpuSeconds(p.ProcessId!.Value));
        var watch = Stopwatch.StartNew();
        await Task.Delay(window, ct);
        var elapsed = watch.Elapsed.TotalSeconds;
        return processes.ToDictionary(p => p.Name, p => ((CpuSeconds(p.ProcessId!.Value) - start[p.Name]) / elapsed, RssMb(p.ProcessId!.Value)));
    }

    private static double CpuSeconds(int pid)
    {
        // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is the 14th, stime the 15th.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double RssMb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0)
            .Single();
}
