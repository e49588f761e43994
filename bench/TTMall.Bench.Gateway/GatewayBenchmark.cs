using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using TTMall.Hosting;
using TTMall.Testing;
using TTMall.Testing.Infrastructure;

namespace TTMall.Bench.Gateway;

/// <summary>
/// The gateway benchmark: two products replicas over real Postgres, registered with two discovery peers, and in
/// front of them, side by side in one run, our gateway (YARP over live discovery) and nginx; wrk asks for product
/// detail directly from one replica, through the gateway and through nginx. Then the gateway's load-balancing
/// policies, and what a replica killed under load costs.
/// </summary>
public sealed class GatewayBenchmark(BenchSettings settings, DirectoryInfo temp)
{
    public const double GatewayToDirectTarget = 0.6;
    public const double GatewayToNginxTarget = 1.0;
    public static readonly TimeSpan RoutedAroundTarget = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan BackAfterUpTarget = TimeSpan.FromSeconds(2);

    /// <summary>The mall's local profile (what the AppHost gives every service), and Eureka's eviction every second.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(MallDiscovery.LeaseExpirationDurationInSeconds);

    public static readonly TimeSpan RegistryDropTarget = Lease + TimeSpan.FromSeconds(1);

    private static readonly DiscoveryProfile Discovery = new(
        TimeSpan.FromSeconds(MallDiscovery.RegistryFetchIntervalSeconds),
        TimeSpan.FromSeconds(MallDiscovery.LeaseRenewalIntervalInSeconds),
        Lease,
        TimeSpan.FromSeconds(MallDiscovery.DrainSeconds));

    private readonly ProgressLog _log = new();
    private readonly Summary _summary = new();
    private readonly string _publicKeys = AccessTokenKeys.PublicKeySet(AccessTokenKeys.NewSigningKey());
    private double _disturbed;

    public async Task<Summary> RunAsync(CancellationToken cancellationToken)
    {
        var wrk = Wrk.Locate();
        var nginxPath = Nginx.Locate();
        string[] projects = ["TTMall.Discovery", "TTMall.Products", "TTMall.Gateway"];
        foreach (var project in projects)
        {
            BuiltServices.Locate(project);
        }

        Log($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; {Repository.Configuration} builds of the services");
        if (Repository.Configuration != "Release")
        {
            Log("warning: this is not a Release build; run it with dotnet run -c Release for figures worth comparing");
        }

        Log("starting Postgres, Redis and RabbitMQ with the AppHost's code (local servers, fresh data) and two discovery peers ...");
        var infrastructure = LocalMall.StartAsync(cancellationToken);
        var (peerA, peerB) = await DiscoveryPeer.StartPairAsync("--Discovery:SelfPreservation=false");
        await using var a = peerA;
        await using var b = peerB;
        await using var mall = await infrastructure;
        var eureka = $"{peerA.EurekaUri},{peerB.EurekaUri}";

        Log("starting products-1, products-2 (migrations and seed data on first start) and the gateway ...");
        await using var products1 = Service("TTMall.Products", "products", "products-1", eureka, ProductsStores(mall));
        await using var products2 = Service("TTMall.Products", "products", "products-2", eureka, ProductsStores(mall));
        ServiceProcess[] replicas = [products1, products2];
        foreach (var (name, value) in settings.ProductsEnvironment)
        {
            products1.Environment[name] = value;
            products2.Environment[name] = value;
        }

        await Task.WhenAll(replicas.Select(r => r.StartAsync(TimeSpan.FromSeconds(120), cancellationToken)));
        await using var gateway = Service("TTMall.Gateway", "gateway", "gateway-1", eureka, null);
        // Every wrk request comes from 127.0.0.1: the per-client limit (500/s) would answer nearly all of them 429.
        // Raised out of reach rather than switched off, so the limiter's cost is in the figures.
        gateway.Environment["Gateway__RateLimit__PermitsPerSecond"] = "100000000";
        gateway.Environment["Gateway__RateLimit__Burst"] = "100000000";
        foreach (var (name, value) in settings.GatewayEnvironment)
        {
            gateway.Environment[name] = value;
        }

        await gateway.StartAsync(cancellationToken: cancellationToken);
        await using var nginx = await Nginx.StartAsync(nginxPath, temp, FreePort.OnLoopback(), [products1.Port, products2.Port], settings.NginxWorkers, cancellationToken);
        Log($"products-1 pid {products1.ProcessId} at {products1.BaseUri}, products-2 pid {products2.ProcessId} at {products2.BaseUri}");
        Log($"gateway pid {gateway.ProcessId} at {gateway.BaseUri}; nginx pid {nginx.Id} at {nginx.BaseUri} ({nginx.Configuration})");

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilBothReplicasAnswerAsync(http, gateway.BaseUri, "the gateway", cancellationToken);
        await WaitUntilBothReplicasAnswerAsync(http, nginx.BaseUri, "nginx", cancellationToken);
        var ids = await ProductIdsAsync(http, gateway.BaseUri, cancellationToken);
        var targets = new (string Name, Uri Uri)[] { ("direct", products1.BaseUri), ("gateway", gateway.BaseUri), ("nginx", nginx.BaseUri) };
        foreach (var (_, uri) in targets)
        {
            await CheckAnswersAsync(http, uri, ids, cancellationToken);
        }

        Log($"{ids.Count} products; every detail answers directly, through the gateway and through nginx");

        var meter = new CpuMeter([
            ("gateway", (pid, _) => pid == gateway.ProcessId),
            ("nginx", (_, name) => name == "nginx"),
            ("products", (pid, _) => pid == products1.ProcessId || pid == products2.ProcessId),
            ("wrk", (_, name) => name == "wrk"),
        ]);
        var script = Wrk.WriteScript(temp, "detail.lua", Wrk.CyclingScript("GET product detail flat out", [.. ids.Select(id => $"/api/products/{id}")]));
        var load = new WrkLoad(settings.Threads, settings.Connections, settings.Duration, script);
        if (settings.Hold)
        {
            Log($"holding: direct {products1.BaseUri} (and {products2.BaseUri}), gateway {gateway.BaseUri}, nginx {nginx.BaseUri}; "
                + $"wrk -t{settings.Threads} -c{settings.Connections} -d10s --latency -s {script} URL; Ctrl+C stops everything");
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }


        if (settings.Sections.Contains("proxies"))
        {
            await CompareProxiesAsync(wrk, targets, load, meter, cancellationToken);
        }

        if (settings.Sections.Contains("balancing"))
        {
            await CompareLoadBalancingAsync(wrk, gateway, products2, ids, load, meter, cancellationToken);
        }

        if (settings.Sections.Contains("failover"))
        {
            await GatewayFailoverAsync(wrk, gateway, products2, [peerA, peerB], ids, load, cancellationToken);
            await NginxFailoverAsync(wrk, nginx, products2, ids, load, cancellationToken);
        }

        _summary.Print(_disturbed, "the figures");

        Log("stopping the services, nginx and the servers ...");
        return _summary;
    }

    /// <summary>Direct, gateway, nginx, in turn, for each round; the figures are the rounds' means.</summary>
    private async Task CompareProxiesAsync(Wrk wrk, IReadOnlyList<(string Name, Uri Uri)> targets, WrkLoad load, CpuMeter meter, CancellationToken cancellationToken)
    {
        // Each process needs some ten seconds of load before its JIT (tiered, with dynamic PGO) and its GC settle:
        // measured from cold, the first run of each comes out at half of what the next ones show.
        foreach (var (name, uri) in targets)
        {
            Log($"warming up {name} for {(settings.WarmUp * 2).TotalSeconds:0} s");
            await wrk.RunAsync(uri, load with { Duration = settings.WarmUp * 2 }, cancellationToken);
        }

        var runs = targets.ToDictionary(t => t.Name, _ => new List<(WrkResult Result, CpuUse Cpu)>());
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var (name, uri) in targets)
            {
                runs[name].Add(await MeasureAsync($"round {round}/{settings.Rounds}, {name}", wrk, uri, load, meter, settings.WarmUp, cancellationToken));
            }
        }

        var section = $"GET /api/products/{{id}}, wrk {load} flat out, mean of {settings.Rounds} round(s)";
        var rate = runs.ToDictionary(r => r.Key, r => r.Value.Average(x => x.Result.RequestsPerSecond));
        string[] labels = ["Direct to one replica", "Through the gateway (YARP, 2 replicas)", $"Through nginx ({settings.NginxWorkers} workers, keepalive, 2 replicas)"];
        foreach (var ((name, _), label) in targets.Zip(labels))
        {
            var list = runs[name];
            _summary.Add(section, new Figure($"{label}: req/s", Summary.Count(rate[name])));
            _summary.Add(section, new Figure($"{label}: latency p50 / p99",
                $"{Summary.Milliseconds(Mean(list.Select(x => x.Result.P50)))} / {Summary.Milliseconds(Mean(list.Select(x => x.Result.P99)))}"));
            _summary.Add(section, new Figure($"{label}: cores used", MeanCpu(list.Select(x => x.Cpu))));
        }

        var gatewayUs = runs["gateway"].Average(x => x.Cpu.Of("gateway") / x.Result.RequestsPerSecond * 1e6);
        var nginxUs = runs["nginx"].Average(x => x.Cpu.Of("nginx") / x.Result.RequestsPerSecond * 1e6);
        _summary.Add(section, new Figure("Proxy CPU per request: gateway / nginx", $"{gatewayUs:F0} us / {nginxUs:F0} us"));
        var toDirect = rate["gateway"] / rate["direct"];
        var toNginx = rate["gateway"] / rate["nginx"];
        _summary.Add(section, new Figure("Gateway / direct (req/s)", toDirect.ToString("F2", CultureInfo.InvariantCulture),
            $">= {GatewayToDirectTarget:F2}", toDirect >= GatewayToDirectTarget));
        _summary.Add(section, new Figure("Gateway / nginx (req/s)", toNginx.ToString("F2", CultureInfo.InvariantCulture),
            $">= {GatewayToNginxTarget:F2}", toNginx >= GatewayToNginxTarget));
        var errors = runs.Values.SelectMany(r => r).Sum(r => r.Result.Errors);
        _summary.Add(section, new Figure("Errors (socket + non-2xx), all runs", Summary.Count(errors), "0", errors == 0));
    }

    /// <summary>
    /// RoundRobin against PowerOfTwoChoices, with two equal replicas and with one of them slowed down (niced, so it
    /// gets a smaller share of the two cores: a noisy neighbour, a slower machine).
    /// </summary>
    private async Task CompareLoadBalancingAsync(Wrk wrk, ServiceProcess gateway, ServiceProcess slowReplica, IReadOnlyList<int> ids, WrkLoad load,
        CpuMeter meter, CancellationToken cancellationToken)
    {
        var section = $"Gateway:LoadBalancingPolicy, wrk {load} flat out through the gateway";
        var results = new List<(string Policy, bool Slow, WrkResult Result, IReadOnlyDictionary<string, double> Shares)>();
        string[] policies = ["RoundRobin", "PowerOfTwoChoices"];
        foreach (var policy in policies)
        {
            await RestartGatewayAsync(gateway, policy, cancellationToken);
            foreach (var slow in settings.SlowNice > 0 ? new[] { false, true } : [false])
            {
                Renice(slowReplica, slow ? settings.SlowNice : 0);
                try
                {
                    var what = $"{policy}{(slow ? $", {slowReplica.Name} at nice {settings.SlowNice}" : "")}";
                    await using var sampler = Sampler.Start(gateway.BaseUri, ids);
                    var (result, _) = await MeasureAsync(what, wrk, gateway.BaseUri, load, meter, settings.WarmUp * 2, cancellationToken);
                    await sampler.StopAsync();
                    results.Add((policy, slow, result, sampler.Shares()));
                    Log($"{what}: shares {Shares(sampler.Shares())} ({sampler.Samples.Count} samples)");
                }
                finally
                {
                    Renice(slowReplica, 0);
                }
            }
        }

        foreach (var (policy, slow, result, shares) in results.OrderBy(r => r.Slow))
        {
            var label = $"{policy}{(slow ? $", {slowReplica.Name} slowed (nice {settings.SlowNice})" : ", equal replicas")}";
            _summary.Add(section, new Figure($"{label}: req/s", Summary.Count(result.RequestsPerSecond)));
            _summary.Add(section, new Figure($"{label}: p50 / p99", $"{Summary.Milliseconds(result.P50)} / {Summary.Milliseconds(result.P99)}"));
            _summary.Add(section, new Figure($"{label}: share per replica", Shares(shares)));
        }

        var errors = results.Sum(r => r.Result.Errors);
        _summary.Add(section, new Figure("Errors (socket + non-2xx), all runs", Summary.Count(errors), "0", errors == 0));
        await RestartGatewayAsync(gateway, "RoundRobin", cancellationToken);
    }

    /// <summary>
    /// A products replica killed (SIGKILL) under flat-out load through the gateway: failed requests, how long the gateway
    /// still sent it requests (each failure is logged, and the request retried on the other replica), how long the
    /// registry kept it; then started again under load: how soon after it is UP the gateway sends it requests.
    /// </summary>
    private async Task GatewayFailoverAsync(Wrk wrk, ServiceProcess gateway, ServiceProcess victim, IReadOnlyList<DiscoveryPeer> peers, IReadOnlyList<int> ids,
        WrkLoad load, CancellationToken cancellationToken)
    {
        var section = $"Failover through the gateway, wrk {load with { Duration = FailoverRun }} flat out";
        await WarmUpAsync(wrk, gateway.BaseUri, load, cancellationToken);
        using var registry = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        Task<TimeSpan>? dropping = null;
        var (killRun, killed, _) = await KillUnderLoadAsync(wrk, gateway.BaseUri, victim, load,
            killedAt => dropping = RegistryDropAsync(registry, peers, victim, killedAt, cancellationToken), cancellationToken);
        var dropped = await dropping!;
        var failures = gateway.Lines
            .Where(l => l.Text.Contains("failed a request", StringComparison.Ordinal) && l.Text.Contains($":{victim.Port}/", StringComparison.Ordinal))
            .Select(l => MallService.LoggedAt(l) ?? l.ReceivedUtc)
            .Where(t => t >= killed)
            .ToList();
        var lastFailure = failures.Count == 0 ? TimeSpan.Zero : failures.Max() - killed;
        Log($"kill under load: {killRun.Result.Requests} requests, {killRun.Result.Errors} errors; {failures.Count} requests to the dead replica failed in the gateway (each retried), " +
            $"the last {lastFailure.TotalMilliseconds:0} ms after the kill; gone from both peers {dropped.TotalMilliseconds:0} ms after it");

        var (restartRun, upToFirst) = await RestartUnderLoadAsync(wrk, gateway.BaseUri, victim, ids, load, cancellationToken);
        Log($"restart under load: {restartRun.Requests} requests, {restartRun.Errors} errors; first answer through the gateway {upToFirst?.TotalMilliseconds:0} ms after UP");

        _summary.Add(section, new Figure("Errors while a replica is killed (socket + non-2xx)", $"{Summary.Count(killRun.Result.Errors)} of {Summary.Count(killRun.Result.Requests)}",
            "0", killRun.Result.Errors == 0));
        _summary.Add(section, new Figure("Requests sent to the dead replica (failed in the gateway, retried)", Summary.Count(failures.Count)));
        _summary.Add(section, new Figure("Kill -> last request sent to the dead replica", Summary.Milliseconds(lastFailure),
            $"< {Summary.Milliseconds(RoutedAroundTarget)}", lastFailure < RoutedAroundTarget));
        _summary.Add(section, new Figure("Kill -> gone from both discovery peers", Summary.Milliseconds(dropped),
            $"<= {Summary.Milliseconds(RegistryDropTarget)} (lease + eviction)", dropped <= RegistryDropTarget));
        _summary.Add(section, new Figure("Restarted: UP -> first answer through the gateway", upToFirst is { } u ? Summary.Milliseconds(u) : "never",
            $"<= {Summary.Milliseconds(BackAfterUpTarget)}", upToFirst <= BackAfterUpTarget));
        _summary.Add(section, new Figure("Errors while it restarts (socket + non-2xx)", $"{Summary.Count(restartRun.Errors)} of {Summary.Count(restartRun.Requests)}",
            "0", restartRun.Errors == 0));
    }

    /// <summary>The same kill and restart through nginx, for comparison (no targets).</summary>
    private async Task NginxFailoverAsync(Wrk wrk, Nginx nginx, ServiceProcess victim, IReadOnlyList<int> ids, WrkLoad load, CancellationToken cancellationToken)
    {
        var section = $"Failover through nginx, for comparison (max_fails=1, fail_timeout=10s: the defaults)";
        await WarmUpAsync(wrk, nginx.BaseUri, load, cancellationToken);
        var (killRun, _, _) = await KillUnderLoadAsync(wrk, nginx.BaseUri, victim, load, null, cancellationToken);
        var (restartRun, upToFirst) = await RestartUnderLoadAsync(wrk, nginx.BaseUri, victim, ids, load with { Duration = TimeSpan.FromSeconds(15) }, cancellationToken);
        Log($"nginx: kill under load {killRun.Result.Errors} errors of {killRun.Result.Requests}; restart {restartRun.Errors} errors, first answer {upToFirst?.TotalMilliseconds:0} ms after UP");
        _summary.Add(section, new Figure("Errors while a replica is killed (socket + non-2xx)", $"{Summary.Count(killRun.Result.Errors)} of {Summary.Count(killRun.Result.Requests)}"));
        _summary.Add(section, new Figure("Restarted: UP -> first answer through nginx", upToFirst is { } u ? Summary.Milliseconds(u) : "not within the run"));
        _summary.Add(section, new Figure("Errors while it restarts (socket + non-2xx)", $"{Summary.Count(restartRun.Errors)} of {Summary.Count(restartRun.Requests)}"));
    }

    private static readonly TimeSpan FailoverRun = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(2);

    /// <param name="onKilled">Called at once after the kill, while the load goes on.</param>
    private async Task<((WrkResult Result, CpuUse? Cpu) Run, DateTime Killed, DateTime Dead)> KillUnderLoadAsync(
        Wrk wrk, Uri target, ServiceProcess victim, WrkLoad load, Action<DateTime>? onKilled, CancellationToken cancellationToken)
    {
        Log($"killing {victim.Name} (pid {victim.ProcessId}) {KillAfter.TotalSeconds:0} s into a {FailoverRun.TotalSeconds:0} s run through {target}");
        var run = wrk.RunAsync(target, load with { Duration = FailoverRun }, cancellationToken);
        await Task.Delay(KillAfter, cancellationToken);
        var killed = DateTime.UtcNow;
        await victim.KillAsync();
        var dead = DateTime.UtcNow;
        onKilled?.Invoke(killed);
        return ((await run, null), killed, dead);
    }

    /// <returns>The run's result, and how long after the replica registered as UP the first sampled answer came from it.</returns>
    private async Task<(WrkResult Result, TimeSpan? UpToFirstAnswer)> RestartUnderLoadAsync(
        Wrk wrk, Uri target, ServiceProcess victim, IReadOnlyList<int> ids, WrkLoad load, CancellationToken cancellationToken)
    {
        var runLength = load.Duration > FailoverRun ? load.Duration : FailoverRun + TimeSpan.FromSeconds(4);
        Log($"starting {victim.Name} again on port {victim.Port} during a {runLength.TotalSeconds:0} s run through {target}");
        await using var sampler = Sampler.Start(target, ids);
        var run = wrk.RunAsync(target, load with { Duration = runLength }, cancellationToken);
        var restarted = DateTime.UtcNow;
        await victim.StartAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var result = await run;
        await sampler.StopAsync();
        var up = victim.Lines.Where(l => l.Text.Contains(" as UP", StringComparison.Ordinal)).Select(MallService.LoggedAt).FirstOrDefault();
        var first = sampler.Samples.Where(s => s.Instance == victim.Name && s.SentUtc >= restarted).MinBy(s => s.EndedUtc);
        return (result, up is { } u && first is not null ? first.EndedUtc - u : null);
    }

    private static async Task<TimeSpan> RegistryDropAsync(HttpClient http, IReadOnlyList<DiscoveryPeer> peers, ServiceProcess victim, DateTime killed, CancellationToken cancellationToken)
    {
        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(20, cancellationToken))
        {
            var known = 0;
            foreach (var peer in peers)
            {
                using var response = await http.GetAsync(new Uri(peer.EurekaUri, $"apps/PRODUCTS/{victim.Name}"), cancellationToken);
                known += response.IsSuccessStatusCode ? 1 : 0;
            }

            if (known == 0)
            {
                return DateTime.UtcNow - killed;
            }
        }

        throw new BenchException($"{victim.Name} was still registered 30 s after it was killed");
    }

    private async Task RestartGatewayAsync(ServiceProcess gateway, string policy, CancellationToken cancellationToken)
    {
        if (gateway.Environment.GetValueOrDefault("Gateway__LoadBalancingPolicy") == policy && gateway.IsRunning)
        {
            return;
        }

        Log($"restarting the gateway with Gateway:LoadBalancingPolicy={policy}");
        await gateway.StopAsync();
        gateway.Environment["Gateway__LoadBalancingPolicy"] = policy;
        await gateway.StartAsync(cancellationToken: cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilBothReplicasAnswerAsync(http, gateway.BaseUri, "the gateway", cancellationToken);
    }

    private async Task WarmUpAsync(Wrk wrk, Uri target, WrkLoad load, CancellationToken cancellationToken)
    {
        if (settings.WarmUp > TimeSpan.Zero)
        {
            await wrk.RunAsync(target, load with { Duration = settings.WarmUp }, cancellationToken);
        }
    }

    private async Task<(WrkResult Result, CpuUse Cpu)> MeasureAsync(
        string what, Wrk wrk, Uri target, WrkLoad load, CpuMeter meter, TimeSpan warmUp, CancellationToken cancellationToken)
    {
        if (warmUp > TimeSpan.Zero)
        {
            await wrk.RunAsync(target, load with { Duration = warmUp }, cancellationToken);
        }

        var (result, cpu) = await wrk.RunAsync(target, load, meter, cancellationToken);
        Log($"{what}: {Summary.Count(result.RequestsPerSecond)} req/s, p50 {Summary.Milliseconds(result.P50)}, p90 {Summary.Milliseconds(result.P90)}, " +
            $"p99 {Summary.Milliseconds(result.P99)}, max {Summary.Milliseconds(result.Max)}, {result.Errors} errors; cores: {cpu}");
        _disturbed = Math.Max(_disturbed, cpu.OtherCores);
        return (result, cpu);
    }

    /// <summary>Sets the niceness of every thread of the replica (on Linux each thread has its own).</summary>
    private void Renice(ServiceProcess replica, int nice)
    {
        if (replica.ProcessId is not { } pid)
        {
            return;
        }

        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            if (int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid) && SetPriority(0, tid, nice) != 0)
            {
                throw new BenchException($"could not set the niceness of {replica.Name}'s thread {tid} to {nice} (errno {Marshal.GetLastPInvokeError()}); run as root, or with --slow-nice 0");
            }
        }
    }

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    /// <summary>A service as the AppHost configures it, with the mall's local discovery profile (TTMall.Hosting.MallDiscovery).</summary>
    private ServiceProcess Service(string project, string serviceName, string instanceId, string eureka, IReadOnlyDictionary<string, string>? connectionStrings) =>
        MallService.Create(project, serviceName, instanceId, eureka, Discovery, serviceName == "gateway" ? null : _publicKeys, connectionStrings);

    /// <summary>Products' database and the broker its stock events go through.</summary>
    private static Dictionary<string, string> ProductsStores(LocalMall mall) => new()
    {
        ["productsdb"] = mall.ConnectionString("productsdb"),
        ["rabbitmq"] = mall.ConnectionString("rabbitmq"),
    };

    private static async Task WaitUntilBothReplicasAnswerAsync(HttpClient http, Uri target, string what, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>();
        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(20, cancellationToken))
        {
            try
            {
                using var response = await http.GetAsync(new Uri(target, "api/products/categories"), cancellationToken);
                if (response.IsSuccessStatusCode && response.Headers.TryGetValues("X-TTMall-Instance", out var names))
                {
                    seen.Add(names.First());
                }
            }
            catch (HttpRequestException)
            {
            }

            if (seen.Count >= 2)
            {
                return;
            }
        }

        throw new BenchException($"{what} did not reach both products replicas within 30 s (seen: {string.Join(", ", seen)})");
    }

    private static async Task<IReadOnlyList<int>> ProductIdsAsync(HttpClient http, Uri target, CancellationToken cancellationToken)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(target, "api/products?pageSize=100"), cancellationToken));
        var ids = json.RootElement.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        return ids.Count > 0 ? ids : throw new BenchException("the catalog is empty: the seed did not run?");
    }

    /// <summary>The load would be meaningless if the answers were errors: check each once first.</summary>
    private static async Task CheckAnswersAsync(HttpClient http, Uri target, IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            var product = await http.GetFromJsonAsync<JsonElement>(new Uri(target, $"api/products/{id}"), cancellationToken);
            if (product.GetProperty("id").GetInt32() != id)
            {
                throw new BenchException($"{target}api/products/{id} answered {product}");
            }
        }
    }

    private static TimeSpan Mean(IEnumerable<TimeSpan> values) => TimeSpan.FromTicks((long)values.Average(v => v.Ticks));

    private static string MeanCpu(IEnumerable<CpuUse> runs)
    {
        var list = runs.ToList();
        var groups = list[0].Groups.Select(g => g.Group).ToList();
        var mean = new CpuUse([.. groups.Select(g => (g, list.Average(r => r.Of(g))))], list.Average(r => r.MachineCores));
        return string.Join(", ", mean.Groups.Where(g => g.Cores >= 0.005).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Group} {g.Cores:F2}")))
            + string.Create(CultureInfo.InvariantCulture, $", rest {mean.OtherCores:F2}");
    }

    private static string Shares(IReadOnlyDictionary<string, double> shares) =>
        string.Join(" / ", shares.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F0} %")));


    private void Log(string message) => _log.Write(message);
}
