using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using TTMall.Eureka;
using TTMall.Testing;

namespace TTMall.Bench.Discovery;

/// <summary>
/// The discovery benchmark: one registry peer started here, filled with a fleet, then heartbeat throughput, full
/// and delta fetch latency, and registration-to-first-request from another process, each against its target.
/// </summary>
public sealed class DiscoveryBenchmark(BenchSettings settings, DirectoryInfo temp)
{
    public const double HeartbeatsPerSecondTarget = 10_000;
    public static readonly TimeSpan FullFetchP99Target = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan FirstRequestTarget = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    private const int ChangedSamples = 20;
    private const string JsonAccept = "Accept: application/json";
    private const string GzipAcceptEncoding = "Accept-Encoding: gzip";

    private readonly ProgressLog _log = new();
    private readonly Summary _summary = new();
    private double _busiestOther;

    public async Task<Summary> RunAsync(CancellationToken ct)
    {
        var wrk = Wrk.Locate();
        var dll = DiscoveryServer.Locate(settings.ServerDll);
        var context = await MachineContextAsync(wrk, dll);
        Console.WriteLine("TT Mall discovery benchmark");
        Console.WriteLine(context);
        if (DiscoveryServer.NewerSources(dll) is { Count: > 0 } newer)
        {
            Console.WriteLine($"WARNING: {newer.Count} source file(s) changed after the server was built (e.g. {newer[0]}); "
                + "these figures are for the older build. `dotnet run -c Release --project bench/TTMall.Bench.Discovery` rebuilds it.");
        }

        Console.WriteLine();
        // The run's discovery secret: the peer checks each write's credential with it, as in the mall.
        var secret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 48);
        using var http = new HttpClient(new AppCredentials(secret, new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) }))
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        await using var peer = await DiscoveryServer.StartAsync(dll, settings, secret, ct);
        Log($"discovery peer started: pid {peer.ProcessId}, {peer.EurekaUri}");
        var fleet = new BenchFleet(http, peer.EurekaUri, TimeProvider.System);
        var cpu = new CpuMeter([("server", (pid, _) => pid == peer.ProcessId)]);

        var filledAt = await FillAsync(fleet, ct);
        await HeartbeatsAsync(wrk, peer, fleet, secret, cpu, ct);
        await FetchesAsync(wrk, peer, fleet, cpu, filledAt, ct);
        await FirstRequestAsync(peer, fleet, ct);

        Console.WriteLine();
        Console.WriteLine("Summary");
        Console.WriteLine(context);
        Console.Write(_summary.Render());
        if (_busiestOther > CpuUse.DisturbedAbove)
        {
            Console.WriteLine($"NOTE: other processes on this machine used up to {_busiestOther:F2} of its {Environment.ProcessorCount} cores during a run; "
                + "latency tails and rates are disturbed. Run again on a quiet machine for clean figures.");
        }

        Console.WriteLine(_summary.AllPass ? "All targets met." : $"Targets missed: {string.Join("; ", _summary.Figures.Where(f => f.Pass == false).Select(f => f.Name))}.");
        return _summary;
    }

    /// <summary>Step 1: the fleet, registered over HTTP; the full document must then list every instance.</summary>
    /// <returns>When the last registration was made (the delta keeps it for the retention time).</returns>
    private async Task<long> FillAsync(BenchFleet fleet, CancellationToken ct)
    {
        Log($"1. registering {Summary.Count(settings.Instances)} instances in {settings.Apps} apps ({settings.InstancesPerApp} each), lease {BenchFleet.LeaseSeconds} s");
        var registration = await fleet.RegisterAllAsync(settings.Apps, settings.InstancesPerApp, ct);
        var filledAt = Stopwatch.GetTimestamp();
        var listed = CountInstances(await fleet.FetchAsync("apps", gzip: false, ct));
        Log($"   {Summary.Count(registration.Count)} registered in {Summary.Duration(registration.Elapsed)} "
            + $"({Summary.Count(registration.PerSecond)}/s, {registration.Throttled} throttled with 429); the registry lists {Summary.Count(listed)}");
        if (listed != settings.Instances)
        {
            throw new BenchException($"The registry lists {listed} instances after {settings.Instances} registrations.");
        }

        _summary.Add("1", new Figure($"Registry filled: {Summary.Count(registration.Count)} instances, {settings.Apps} apps (POST, {BenchFleet.Parallelism} in parallel)",
            $"{Summary.Count(registration.PerSecond)}/s"));
        return filledAt;
    }

    /// <summary>Step 2: heartbeats at the highest rate the server takes, cycling through every instance.</summary>
    private async Task HeartbeatsAsync(Wrk wrk, DiscoveryPeer peer, BenchFleet fleet, string secret, CpuMeter cpu, CancellationToken ct)
    {
        var script = Path.Combine(temp.FullName, "heartbeat.lua");
        await File.WriteAllTextAsync(script, Wrk.CyclingScript(
            "PUT heartbeats, cycling through every registered instance, each with its application's credential",
            fleet.HeartbeatPaths, method: "PUT", authorizations: fleet.HeartbeatAuthorizations(secret)), ct);
        var load = new WrkLoad(settings.WrkThreads, settings.HeartbeatConnections, settings.HeartbeatDuration, script);
        Log($"2. heartbeats: wrk {load} --latency -s heartbeat.lua {peer.BaseUri} (after a {WarmUp.TotalSeconds:F0} s warm-up)");
        await wrk.RunAsync(peer.BaseUri, load with { Duration = WarmUp }, ct);
        var since = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var (result, use) = await MeasureAsync(wrk, cpu, peer.BaseUri, load, ct);
        LogResult("heartbeats", result, use);
        EnsureAlive(peer);
        var renewed = await fleet.CountRenewedSinceAsync(since, ct);
        Log($"   instances renewed during the run: {Summary.Count(renewed)} of {Summary.Count(fleet.Instances.Count)}");

        _summary.Add("2", new Figure($"Heartbeats/s (PUT over {Summary.Count(fleet.Instances.Count)} instances, wrk {load})",
            Summary.Count(result.RequestsPerSecond), $">= {Summary.Count(HeartbeatsPerSecondTarget)}", result.RequestsPerSecond >= HeartbeatsPerSecondTarget));
        _summary.Add("2", new Figure("Heartbeat latency p50 / p99", $"{Summary.Duration(result.P50)} / {Summary.Duration(result.P99)}"));
        _summary.Add("2", new Figure("Heartbeat errors (socket errors + non-2xx)", Summary.Count(result.Errors), "0", result.Errors == 0));
        _summary.Add("2", new Figure("Instances renewed during the run", $"{Summary.Count(renewed)} of {Summary.Count(fleet.Instances.Count)}",
            "all", renewed == fleet.Instances.Count));
        _summary.Add("2", new Figure("CPU during heartbeats (cores: server / wrk / other processes)", $"{use.Of("server"):F2} / {use.Of("wrk"):F2} / {use.OtherCores:F2}"));
        if (result.RequestsPerSecond > 0)
        {
            _summary.Add("2", new Figure("Server CPU per heartbeat", $"{use.Of("server") / result.RequestsPerSecond * 1e6:F0} us"));
        }
    }

    /// <summary>Step 3: full and delta fetches (JSON, and gzipped), with a delta holding a few recent changes.</summary>
    private async Task FetchesAsync(Wrk wrk, DiscoveryPeer peer, BenchFleet fleet, CpuMeter cpu, long filledAt, CancellationToken ct)
    {
        var load = new WrkLoad(settings.WrkThreads, settings.FetchConnections, settings.FetchDuration);
        var full = new Uri(peer.EurekaUri, "apps");
        var fullJson = await fleet.FetchAsync("apps", gzip: false, ct);
        var fullGzip = await fleet.FetchAsync("apps", gzip: true, ct);
        Log($"3. fetches: wrk {load} --latency -H '{JsonAccept}' [-H '{GzipAcceptEncoding}'] (after a 1 s warm-up each)");
        Log($"   full document: {Summary.Count(CountInstances(fullJson))} instances, {Summary.Bytes(fullJson.Length)} JSON, {Summary.Bytes(fullGzip.Length)} gzipped");
        await FetchRunsAsync(wrk, peer, cpu, full, load, "Full fetch", $"{Summary.Count(CountInstances(fullJson))} instances", FullFetchP99Target, ct);

        // The fleet's registrations must leave the delta first, or it would be as big as the full document.
        var retention = TimeSpan.FromSeconds(settings.DeltaRetentionSeconds + 1) - Stopwatch.GetElapsedTime(filledAt);
        if (retention > TimeSpan.Zero)
        {
            Log($"   waiting {retention.TotalSeconds:F1} s for the registrations to leave the delta (retention {settings.DeltaRetentionSeconds} s)");
            await Task.Delay(retention, ct);
        }

        var churn = await fleet.ChurnAsync(ct);
        var deltaJson = await fleet.FetchAsync("apps/delta", gzip: false, ct);
        var deltaGzip = await fleet.FetchAsync("apps/delta", gzip: true, ct);
        var inDelta = CountInstances(deltaJson);
        Log($"   recent changes: {churn.Modified} registered again, {churn.Deleted} cancelled, {churn.Added} added; "
            + $"the delta lists {inDelta}, {Summary.Bytes(deltaJson.Length)} JSON, {Summary.Bytes(deltaGzip.Length)} gzipped");
        if (inDelta != churn.Total)
        {
            Log($"   NOTE: the delta lists {inDelta} instances, {churn.Total} expected");
        }

        await FetchRunsAsync(wrk, peer, cpu, new Uri(peer.EurekaUri, "apps/delta"), load, "Delta fetch", $"{inDelta} changes", null, ct);

        // The runs above are served from the server's cached documents; after each change one fetch pays the rebuild.
        foreach (var (path, name) in new[] { ("apps", "Full fetch"), ("apps/delta", "Delta fetch") })
        {
            var times = await fleet.TimeFetchAfterChangeAsync(path, ChangedSamples, ct);
            var (median, max) = (times[times.Count / 2], times[^1]);
            Log($"   {name.ToLowerInvariant()} right after a change (one client, gzip, {ChangedSamples} samples): p50 {Summary.Duration(median)}, max {Summary.Duration(max)}");
            _summary.Add("3", new Figure($"{name} right after a change p50 / max (document rebuilt, gzip, {ChangedSamples} samples)",
                $"{Summary.Duration(median)} / {Summary.Duration(max)}"));
        }
    }

    private async Task FetchRunsAsync(
        Wrk wrk, DiscoveryPeer peer, CpuMeter cpu, Uri url, WrkLoad load, string name, string what, TimeSpan? p99Target, CancellationToken ct)
    {
        var variants = settings.Gzip ? new[] { false, true } : [false];
        foreach (var gzip in variants)
        {
            var variant = gzip ? "JSON, gzip" : "JSON";
            var headers = gzip ? new[] { JsonAccept, GzipAcceptEncoding } : [JsonAccept];
            await wrk.RunAsync(url, load with { Duration = TimeSpan.FromSeconds(1), Headers = headers }, ct);
            var (result, use) = await MeasureAsync(wrk, cpu, url, load with { Headers = headers }, ct);
            LogResult($"{name.ToLowerInvariant()} ({variant})", result, use);
            EnsureAlive(peer);

            var p99Pass = p99Target is { } target ? result.P99 <= target && result.Errors == 0 : (bool?)null;
            _summary.Add("3", new Figure($"{name} p50 / p99 ({variant}, {what}, {load.Connections} connections)",
                $"{Summary.Duration(result.P50)} / {Summary.Duration(result.P99)}",
                p99Target is { } t ? $"p99 <= {Summary.Duration(t)}" : "", p99Pass));
            _summary.Add("3", new Figure($"{name} req/s ({variant}){(result.Errors > 0 ? $", {result.Errors} errors" : "")}",
                Summary.Count(result.RequestsPerSecond), result.Errors > 0 ? "0 errors" : "", result.Errors > 0 ? false : null));
        }
    }

    /// <summary>Step 4: from a new instance's registration to its first request from another process.</summary>
    private async Task FirstRequestAsync(DiscoveryPeer peer, BenchFleet fleet, CancellationToken ct)
    {
        Log($"4. registration to first request: {settings.Rounds} rounds; the caller (another process, AddServiceDefaults) "
            + $"calls http://{FirstRequestBenchmark.Service}/ping every {Caller.Pause.TotalMilliseconds:F0} ms, "
            + $"Eureka:Client:RegistryFetchIntervalSeconds={settings.FetchIntervalSeconds.ToString(CultureInfo.InvariantCulture)}");
        var times = await new FirstRequestBenchmark(fleet, peer.EurekaUri, settings.FetchIntervalSeconds, Log).RunAsync(settings.Rounds, TimeProvider.System, ct);
        EnsureAlive(peer);

        var arrived = times.Arrived;
        var what = $"{settings.Rounds} rounds, caller fetches every {settings.FetchIntervalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        var target = $"<= {Summary.Duration(FirstRequestTarget)}";
        if (arrived.Count > 0)
        {
            var median = arrived[(int)Math.Ceiling(arrived.Count * 0.5) - 1];
            _summary.Add("4", new Figure($"Registration -> first request p50 ({what})", Summary.Duration(median), target, median <= FirstRequestTarget));
        }

        Log($"   caller CPU from round 2 on: {times.CallerCores:F2} cores (a registry fetch every {settings.FetchIntervalSeconds.ToString(CultureInfo.InvariantCulture)} s, "
            + $"a call every {Caller.Pause.TotalMilliseconds:F0} ms, tiered JIT still at work)");
        _summary.Add("4", times.Missed > 0
            ? new Figure("Registration -> first request max", $"> {Summary.Duration(FirstRequestBenchmark.RoundTimeout)} ({times.Missed} missed)", target, false)
            : new Figure("Registration -> first request max", Summary.Duration(arrived[^1]), target, arrived[^1] <= FirstRequestTarget));
    }

    private async Task<(WrkResult Result, CpuUse Cpu)> MeasureAsync(Wrk wrk, CpuMeter cpu, Uri url, WrkLoad load, CancellationToken ct)
    {
        // Samples before and after the run: wrk's own cores are sampled by Wrk, just before it ends.
        var start = cpu.Take();
        var result = await wrk.RunAsync(url, load, ct);
        var use = cpu.Between(start, cpu.Take()).With("wrk", result.WrkCores);
        _busiestOther = Math.Max(_busiestOther, use.OtherCores);
        return (result, use);
    }

    private static int CountInstances(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return EurekaJson.ReadApplicationsDocument(document.RootElement).AllInstances.Count();
    }

    private static void EnsureAlive(DiscoveryPeer peer)
    {
        if (!peer.IsRunning)
        {
            throw new BenchException($"The discovery server died (exit {peer.ExitCode}):\n{peer.Log}");
        }
    }

    private void Log(string line) => _log.Write(line);

    private void LogResult(string name, WrkResult r, CpuUse cpu) =>
        Log($"   {name}: {Summary.Count(r.RequestsPerSecond)} req/s, p50 {Summary.Duration(r.P50)}, p90 {Summary.Duration(r.P90)}, "
            + $"p99 {Summary.Duration(r.P99)}, max {Summary.Duration(r.Max)}, {Summary.Count(r.Requests)} requests, "
            + $"errors {r.Errors} (socket {r.SocketErrors}, non-2xx {r.Non2xx}); "
            + $"CPU server {cpu.Of("server"):F2}, wrk {cpu.Of("wrk"):F2}, other processes {cpu.OtherCores:F2} cores of {Environment.ProcessorCount}");

    private async Task<string> MachineContextAsync(Wrk wrk, FileInfo dll)
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        var serverGc = settings.ServerEnvironment.TryGetValue("DOTNET_gcServer", out var gcSetting) ? gcSetting is "1" or "true" : ServerGc(dll);
        List<string> lines =
        [
            $"machine: {Environment.ProcessorCount} cores{(model is null ? "" : $" ({model})")}, {RuntimeInformation.OSDescription}, load average before the run {load}",
            $"runtime: {RuntimeInformation.FrameworkDescription}; load generator: wrk {await wrk.VersionAsync()}",
            $"server:  {dll.FullName} (built {dll.LastWriteTime:yyyy-MM-dd HH:mm:ss}, {(serverGc ? "server" : "workstation")} GC), one peer on 127.0.0.1, self-preservation off,",
            $"         delta retention {settings.DeltaRetentionSeconds} s (default 180 s; shortened so the fleet's registrations leave the delta)",
        ];
        if (settings.ServerEnvironment.Count > 0)
        {
            lines.Add($"         environment: {string.Join(", ", settings.ServerEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
        }

        lines.Add($"fleet:   {Summary.Count(settings.Instances)} instances in {settings.Apps} apps, lease {BenchFleet.LeaseSeconds} s; "
            + $"caller's Eureka:Client:RegistryFetchIntervalSeconds = {settings.FetchIntervalSeconds.ToString(CultureInfo.InvariantCulture)}");
        return string.Join('\n', lines.Select(l => "  " + l));
    }

    private static bool ServerGc(FileInfo dll)
    {
        var config = Path.ChangeExtension(dll.FullName, ".runtimeconfig.json");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(config));
            return document.RootElement.TryGetProperty("runtimeOptions", out var options)
                && options.TryGetProperty("configProperties", out var properties)
                && properties.TryGetProperty("System.GC.Server", out var server)
                && server.ValueKind == JsonValueKind.True;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return false;
        }
    }
}
