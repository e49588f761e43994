using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TTMall.Eureka;

namespace TTMall.Bench.Discovery;

/// <summary>How filling the registry went.</summary>
public sealed record Registration(int Count, TimeSpan Elapsed, int Throttled)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}

/// <summary>The recent changes made for a realistic delta.</summary>
public sealed record Churn(int Modified, int Deleted, int Added)
{
    public int Total => Modified + Deleted + Added;
}

/// <summary>
/// The benchmark's instances: <c>apps × perApp</c> of them in applications BENCH-APP-01…, registered over HTTP the
/// way a client does, with a lease long enough that nothing expires during the run. They point at loopback ports
/// nobody listens on; only the registry ever reads them.
/// </summary>
public sealed class BenchFleet(HttpClient http, Uri eureka, TimeProvider time)
{
    /// <summary>Longer than any run, so instances stay while the heartbeat storm is over and nothing renews them.</summary>
    public const int LeaseSeconds = 1800;

    public const int Parallelism = 16;
    private const int FirstPort = 20_000;

    private readonly List<InstanceInfo> _instances = [];

    public IReadOnlyList<InstanceInfo> Instances => _instances;

    /// <summary>What a client would PUT for each instance's heartbeat (with its status and lastDirtyTimestamp, as ours does).</summary>
    public IReadOnlyList<string> HeartbeatPaths =>
        [.. _instances.Select(i => $"{eureka.AbsolutePath}apps/{i.App}/{Uri.EscapeDataString(i.InstanceId)}?status=UP&lastDirtyTimestamp={i.LastDirtyTimestamp.ToString(CultureInfo.InvariantCulture)}")];

    /// <summary>The Authorization header of each of <see cref="HeartbeatPaths"/>: its application's discovery credential.</summary>
    public IReadOnlyList<string> HeartbeatAuthorizations(string secret) =>
        [.. _instances.Select(i => DiscoveryCredentials.Basic(i.App, DiscoveryCredentials.AppPassword(secret, i.App)).ToString())];

    public async Task<Registration> RegisterAllAsync(int apps, int perApp, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        _instances.Clear();
        for (var app = 1; app <= apps; app++)
        {
            for (var index = 1; index <= perApp; index++)
            {
                _instances.Add(Describe($"BENCH-APP-{app:D2}", $"bench-app-{app:D2}-{index:D2}", FirstPort + _instances.Count, now));
            }
        }

        var throttled = 0;
        var started = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            _instances,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (instance, ct) => Interlocked.Add(ref throttled, await RegisterAsync(instance, ct)));
        return new Registration(_instances.Count, started.Elapsed, throttled);
    }

    /// <summary>
    /// About 2 % of the fleet changes, as in a registry where a few instances restart: some registered again (a new
    /// lastDirtyTimestamp and version), some cancelled, some new ones added.
    /// </summary>
    public async Task<Churn> ChurnAsync(CancellationToken cancellationToken)
    {
        var changes = Math.Max(4, _instances.Count / 50);
        var (modify, delete) = (changes / 2, changes / 4);
        var add = changes - modify - delete;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var stride = Math.Max(1, _instances.Count / (modify + delete));
        var picked = Enumerable.Range(0, modify + delete).Select(k => _instances[k * stride % _instances.Count]).Distinct().ToList();

        foreach (var instance in picked.Take(modify))
        {
            var restarted = instance with
            {
                LastDirtyTimestamp = now,
                LastUpdatedTimestamp = now,
                Metadata = new Dictionary<string, string>(instance.Metadata) { ["version"] = "1.0.1" },
            };
            await RegisterAsync(restarted, cancellationToken);
            _instances[_instances.IndexOf(instance)] = restarted;
        }

        foreach (var instance in picked.Skip(modify))
        {
            await CancelAsync(instance.App, instance.InstanceId, cancellationToken);
            _instances.Remove(instance);
        }

        for (var k = 1; k <= add; k++)
        {
            var app = _instances[k * stride % _instances.Count].App;
            var added = Describe(app, $"{app.ToLowerInvariant()}-new-{k:D2}", FirstPort + 10_000 + k, now);
            await RegisterAsync(added, cancellationToken);
            _instances.Add(added);
        }

        return new Churn(modify, picked.Count - modify, add);
    }

    public static InstanceInfo Describe(string app, string id, int port, long now)
    {
        var baseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        return new InstanceInfo
        {
            InstanceId = id,
            App = app,
            HostName = "127.0.0.1",
            IpAddr = "127.0.0.1",
            Status = InstanceStatus.UP,
            Port = port,
            VipAddress = app.ToLowerInvariant(),
            SecureVipAddress = app.ToLowerInvariant(),
            HomePageUrl = baseUrl + "/",
            StatusPageUrl = baseUrl + "/alive",
            HealthCheckUrl = baseUrl + "/health",
            LeaseInfo = new LeaseInfo { RenewalIntervalInSecs = 30, DurationInSecs = LeaseSeconds },
            Metadata = new Dictionary<string, string> { ["version"] = "1.0.0", ["zone"] = "local" },
            LastDirtyTimestamp = now,
            LastUpdatedTimestamp = now,
        };
    }

    /// <summary>POST apps/{APP}; a 429 (the server's registration rate limit) is waited out and retried.</summary>
    /// <returns>How many times the server throttled this registration.</returns>
    public async Task<int> RegisterAsync(InstanceInfo instance, CancellationToken cancellationToken)
    {
        for (var throttled = 0; ; throttled++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(eureka, $"apps/{instance.App}"))
            {
                Content = new ByteArrayContent(EurekaJson.InstanceDocument(instance)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return throttled;
            }

            if (response.StatusCode != HttpStatusCode.TooManyRequests || throttled >= 10)
            {
                throw new BenchException(
                    $"Registering {instance.App}/{instance.InstanceId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    public async Task CancelAsync(string app, string id, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(new Uri(eureka, $"apps/{app}/{Uri.EscapeDataString(id)}"), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchException($"Cancelling {app}/{id}: {(int)response.StatusCode}");
        }
    }

    /// <summary>
    /// The first fetch of <paramref name="path"/> after a change, timed, <paramref name="samples"/> times: the server
    /// caches its documents until the next change, so this is a fetch that has to rebuild one (as our client
    /// asks: JSON, gzipped). Each change registers an instance again, as a restart does.
    /// </summary>
    public async Task<IReadOnlyList<TimeSpan>> TimeFetchAfterChangeAsync(string path, int samples, CancellationToken cancellationToken)
    {
        var times = new List<TimeSpan>();
        for (var k = 0; k < samples; k++)
        {
            var index = k * 37 % _instances.Count;
            var changed = _instances[index] with { LastDirtyTimestamp = time.GetUtcNow().ToUnixTimeMilliseconds() };
            await RegisterAsync(changed, cancellationToken);
            _instances[index] = changed;
            var started = Stopwatch.GetTimestamp();
            await FetchAsync(path, gzip: true, cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(started));
        }

        return [.. times.Order()];
    }

    /// <summary>How many of the fleet's instances the server renewed at or after <paramref name="sinceMs"/> (read per application, uncached).</summary>
    public async Task<int> CountRenewedSinceAsync(long sinceMs, CancellationToken cancellationToken)
    {
        var renewed = 0;
        foreach (var app in _instances.Select(i => i.App).Distinct())
        {
            using var document = JsonDocument.Parse(await FetchAsync($"apps/{app}", gzip: false, cancellationToken));
            renewed += EurekaJson.ReadApplicationDocument(document.RootElement).Instances.Count(i => i.LeaseInfo.LastRenewalTimestamp >= sinceMs);
        }

        return renewed;
    }

    /// <summary>GET of a registry document as a client asks for it; the body as sent (still gzipped when asked so).</summary>
    public async Task<byte[]> FetchAsync(string path, bool gzip, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(eureka, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (gzip)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }
}
