using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using TTMall.Hosting;
using TTMall.ServiceDefaults.Security;
using TTMall.Testing;
using TTMall.Testing.Infrastructure;

namespace TTMall.Bench.Carts;

/// <summary>
/// The carts benchmark: real Postgres, Redis and RabbitMQ, the Release builds of products and carts as processes,
/// many shoppers with tokens of their own; then cart reads and cart adds under wrk, with a check that every add
/// answered 200 is in Redis.
/// </summary>
public sealed class CartsBenchmark(BenchSettings settings, DirectoryInfo temp)
{
    /// <summary>Concurrent requests while filling carts and counting what they hold.</summary>
    private const int SetupParallelism = 16;

    private readonly ProgressLog _log = new();
    private readonly Summary _summary = new();

    public async Task<Summary> RunAsync(CancellationToken ct)
    {
        var wrk = Wrk.Locate();
        var productsDll = BuiltServices.Locate("TTMall.Products");
        var cartsDll = BuiltServices.Locate("TTMall.Carts");
        var context = await MachineContextAsync(wrk, productsDll, cartsDll);
        Console.WriteLine("TT Mall carts benchmark");
        Console.WriteLine(context);
        Console.WriteLine();

        Log("starting Postgres, Redis and RabbitMQ (the AppHost's local mode, fresh data)");
        await using var mall = await LocalMall.StartAsync(ct);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromSeconds(30) };
        // The bench plays the users service: it signs with the private key, the services get only the public half.
        var signingKey = AccessTokenKeys.NewSigningKey();
        var publicKeys = AccessTokenKeys.PublicKeySet(signingKey);

        await using var products = Service("TTMall.Products", publicKeys, ("ConnectionStrings__productsdb", mall.ConnectionString("productsdb")),
            ("ConnectionStrings__rabbitmq", mall.ConnectionString("rabbitmq")));
        await products.StartHealthyAsync(null, ct);
        Log($"products started: pid {products.ProcessId}, {products.BaseUri} (migrated and seeded)");
        await using var carts = Service(
            "TTMall.Carts",
            publicKeys,
            ("ConnectionStrings__redis", mall.ConnectionString("redis")),
            ("ConnectionStrings__rabbitmq", mall.ConnectionString("rabbitmq")),
            ("Services__products__http__0", products.BaseUri.ToString().TrimEnd('/')));
        await carts.StartHealthyAsync(null, ct);
        Log($"carts started: pid {carts.ProcessId}, {carts.BaseUri}, products at {products.BaseUri} through service discovery's configuration");

        var catalog = await ProductsWithMostStockAsync(http, products, ct);
        Log($"products in the carts: {string.Join(", ", catalog.Select(p => $"{p.Id} (stock {p.Stock})"))}");
        var tokens = MintTokens(signingKey);
        Log($"{Summary.Count(tokens.Count)} shoppers with access tokens of their own");

        await PrefillAsync(http, carts, tokens, catalog.Take(settings.Lines).Select(p => p.Id).ToList(), ct);
        var cpu = new CpuMeter([("carts", (pid, _) => pid == carts.ProcessId), ("products", (pid, _) => pid == products.ProcessId)]);

        await ReadsAsync(wrk, carts, products, cpu, tokens, ct);
        await AddsAsync(wrk, http, carts, products, cpu, tokens, catalog.Select(p => p.Id).ToList(), ct);

        Console.WriteLine();
        Console.WriteLine("Summary");
        Console.WriteLine(context);
        Console.Write(_summary.Render());
        Console.WriteLine(_summary.AllPass ? "All checks passed." : $"Checks failed: {string.Join("; ", _summary.Figures.Where(f => f.Pass == false).Select(f => f.Name))}.");
        return _summary;
    }

    /// <summary>GET /api/carts/me of carts with <see cref="BenchSettings.Lines"/> lines each.</summary>
    private async Task ReadsAsync(Wrk wrk, ServiceProcess carts, ServiceProcess products, CpuMeter cpu, IReadOnlyList<string> tokens, CancellationToken ct)
    {
        var script = Path.Combine(temp.FullName, "reads.lua");
        await File.WriteAllTextAsync(script, CartScripts.Reads(tokens), ct);
        var load = new WrkLoad(settings.WrkThreads, settings.Connections, settings.Duration, script);
        Log($"cart reads: wrk {load} --latency -s reads.lua (GET {CartScripts.CartPath}, {settings.Lines} lines a cart), after a {settings.WarmUp.TotalSeconds:F0} s warm-up");
        var (result, use) = await MeasureAsync(wrk, carts, cpu, load, ct);
        LogResult("cart reads", result, use);
        carts.EnsureAlive();
        products.EnsureAlive();

        var what = $"GET, {settings.Lines} lines, {Summary.Count(tokens.Count)} shoppers, {settings.Connections} connections";
        _summary.Add("read", new Figure($"Cart read req/s ({what})", Summary.Count(result.RequestsPerSecond)));
        _summary.Add("read", new Figure("Cart read latency p50 / p99", $"{Summary.Duration(result.P50)} / {Summary.Duration(result.P99)}"));
        _summary.Add("read", new Figure("Cart read errors (socket errors + non-2xx)", Summary.Count(result.Errors), "0", result.Errors == 0));
        _summary.Add("read", new Figure("CPU during reads (cores: carts / products / wrk / rest)", use.ToString()));
        _summary.Add("read", new Figure("CPU per read (carts / products)", use.PerRequest(result.RequestsPerSecond)));
    }

    /// <summary>POST /api/carts/me/items, one piece each, spread over shoppers and products; then every 200 must be in Redis.</summary>
    private async Task AddsAsync(
        Wrk wrk, HttpClient http, ServiceProcess carts, ServiceProcess products, CpuMeter cpu, IReadOnlyList<string> tokens, IReadOnlyList<int> catalog,
        CancellationToken ct)
    {
        var script = Path.Combine(temp.FullName, "adds.lua");
        await File.WriteAllTextAsync(script, CartScripts.Adds(tokens, catalog), ct);
        var load = new WrkLoad(settings.WrkThreads, settings.Connections, settings.Duration, script);
        Log($"cart adds: wrk {load} --latency -s adds.lua (POST {CartScripts.ItemsPath}, quantity 1, over {catalog.Count} products), "
            + $"after a {settings.WarmUp.TotalSeconds:F0} s warm-up");
        if (settings.WarmUp > TimeSpan.Zero)
        {
            await wrk.RunAsync(carts.BaseUri, load with { Duration = settings.WarmUp }, ct);
            // Adds wrk sent just before it stopped may still be running; they belong to the warm-up.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        var before = await CountPiecesAsync(http, carts, tokens, ct);
        var (result, use) = await MeasureAsync(wrk, carts, cpu, load, ct, warmUp: false);
        var after = await CountPiecesAsync(http, carts, tokens, ct);
        LogResult("cart adds", result, use);
        carts.EnsureAlive();
        products.EnsureAlive();

        // wrk counts the responses it read before the run ended; requests still in flight then may be stored too.
        var answered = result.Requests - result.Non2xx;
        var stored = after - before;
        Log($"   pieces in the carts: {Summary.Count(before)} before the run, {Summary.Count(after)} after: {Summary.Count(stored)} stored, "
            + $"{Summary.Count(answered)} adds answered 2xx");
        var what = $"POST, quantity 1, {Summary.Count(tokens.Count)} shoppers × {catalog.Count} products, {settings.Connections} connections";
        _summary.Add("add", new Figure($"Cart add req/s ({what})", Summary.Count(result.RequestsPerSecond)));
        _summary.Add("add", new Figure("Cart add latency p50 / p99", $"{Summary.Duration(result.P50)} / {Summary.Duration(result.P99)}"));
        _summary.Add("add", new Figure("Cart add errors (socket errors + non-2xx)", Summary.Count(result.Errors), "0", result.Errors == 0));
        _summary.Add("add", new Figure("Pieces stored - adds answered 2xx (requests in flight at the end)",
            Summary.Count(stored - answered), $"0 to {settings.Connections}", stored >= answered && stored - answered <= settings.Connections));
        _summary.Add("add", new Figure("CPU during adds (cores: carts / products / wrk / rest)", use.ToString()));
        _summary.Add("add", new Figure("CPU per add (carts / products)", use.PerRequest(result.RequestsPerSecond)));
    }

    private async Task<(WrkResult Result, CoresUsed Cpu)> MeasureAsync(
        Wrk wrk, ServiceProcess carts, CpuMeter cpu, WrkLoad load, CancellationToken ct, bool warmUp = true)
    {
        if (warmUp && settings.WarmUp > TimeSpan.Zero)
        {
            await wrk.RunAsync(carts.BaseUri, load with { Duration = settings.WarmUp }, ct);
        }

        // Samples before and after the run: wrk's own cores are sampled by Wrk, just before it ends.
        var start = cpu.Take();
        var result = await wrk.RunAsync(carts.BaseUri, load, ct);
        var use = cpu.Between(start, cpu.Take());
        return (result, new CoresUsed(use.Of("carts"), use.Of("products"), result.WrkCores, use.MachineCores));
    }

    /// <summary>The products with the most stock, so that no line of the run reaches it.</summary>
    private async Task<IReadOnlyList<CatalogProduct>> ProductsWithMostStockAsync(HttpClient http, ServiceProcess products, CancellationToken ct)
    {
        var page = await http.GetFromJsonAsync<CatalogPage>(new Uri(products.BaseUri, "api/products?pageSize=100"), ct)
            ?? throw new BenchException("The products service listed no catalog.");
        var chosen = page.Items.Where(p => p.Stock > 0).OrderByDescending(p => p.Stock).ThenBy(p => p.Id).Take(settings.Products).ToList();
        return chosen.Count == settings.Products
            ? chosen
            : throw new BenchException($"The catalog has {chosen.Count} products in stock; --products {settings.Products} needs that many.");
    }

    private List<string> MintTokens(string signingKey)
    {
        var tokens = new AccessTokens(
            Options.Create(new JwtOptions { SigningKey = signingKey, AccessTokenLifetime = TimeSpan.FromHours(2) }), TimeProvider.System);
        return [.. Enumerable.Range(1, settings.Users)
            .Select(i => tokens.Create(new MallUser(Guid.NewGuid(), $"bench-{i}@example.test", $"bench {i}")).Token)];
    }

    private async Task PrefillAsync(HttpClient http, ServiceProcess carts, IReadOnlyList<string> tokens, IReadOnlyList<int> lines, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = ct }, async (token, ct) =>
        {
            foreach (var product in lines)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(carts.BaseUri, CartScripts.ItemsPath.TrimStart('/')))
                {
                    Content = JsonContent.Create(new { productId = product, quantity = 1 }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, ct);
                if (!response.IsSuccessStatusCode)
                {
                    throw new BenchException($"Filling the carts failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
        });
        Log($"carts filled: {Summary.Count(tokens.Count)} carts with {lines.Count} lines each in {Summary.Duration(started.Elapsed)}");
    }

    /// <summary>Pieces in all the shoppers' carts, read through the API.</summary>
    private static async Task<long> CountPiecesAsync(HttpClient http, ServiceProcess carts, IReadOnlyList<string> tokens, CancellationToken ct)
    {
        long pieces = 0;
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = ct }, async (token, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(carts.BaseUri, CartScripts.CartPath.TrimStart('/')));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            var cart = response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync<CartCount>(ct)
                : throw new BenchException($"Reading a cart failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            Interlocked.Add(ref pieces, cart!.ItemCount);
        });
        return pieces;
    }

    /// <summary>
    /// A service's build (this tool's configuration, Release when run as bench/README.md says) on a free loopback
    /// port in Production, Eureka off, with the --service-env variables, the public keys and its own.
    /// </summary>
    private ServiceProcess Service(string project, string publicKeys, params (string Name, string Value)[] own)
    {
        var service = new ServiceProcess(project, project)
        {
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Eureka__Client__Enabled"] = "false",
            },
        };
        foreach (var (name, value) in settings.ServiceEnvironment.Select(e => (e.Key, e.Value)).Append(("Jwt__PublicKeys", publicKeys)).Concat(own))
        {
            service.Environment[name] = value;
        }

        return service;
    }

    private void Log(string line) => _log.Write(line);

    private void LogResult(string name, WrkResult r, CoresUsed cpu) =>
        Log($"   {name}: {Summary.Count(r.RequestsPerSecond)} req/s, p50 {Summary.Duration(r.P50)}, p90 {Summary.Duration(r.P90)}, "
            + $"p99 {Summary.Duration(r.P99)}, max {Summary.Duration(r.Max)}, {Summary.Count(r.Requests)} requests, "
            + $"errors {r.Errors} (socket {r.SocketErrors}, non-2xx {r.Non2xx}); CPU (cores) carts / products / wrk / rest {cpu}");

    private async Task<string> MachineContextAsync(Wrk wrk, FileInfo productsDll, FileInfo cartsDll)
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        List<string> lines =
        [
            $"machine:  {Environment.ProcessorCount} cores{(model is null ? "" : $" ({model})")}, {RuntimeInformation.OSDescription}, load average before the run {load}",
            $"runtime:  {RuntimeInformation.FrameworkDescription}; load generator: wrk {await wrk.VersionAsync()}",
            $"services: {cartsDll.FullName} (built {cartsDll.LastWriteTime:yyyy-MM-dd HH:mm:ss}),",
            $"          {productsDll.FullName} (built {productsDll.LastWriteTime:yyyy-MM-dd HH:mm:ss}); one of each on 127.0.0.1, Production",
            "stores:   Postgres, Redis and RabbitMQ from the Debian packages (the AppHost's local mode), on the same cores",
        ];
        if (settings.ServiceEnvironment.Count > 0)
        {
            lines.Add($"          environment: {string.Join(", ", settings.ServiceEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
        }

        return string.Join('\n', lines.Select(l => "  " + l));
    }

    /// <summary>Cores busy during a run; "rest" is everything else on the machine: Redis, Postgres, this tool, other people.</summary>
    private sealed record CoresUsed(double Carts, double Products, double Wrk, double Machine)
    {
        public double Rest => Math.Max(0, Machine - Carts - Products - (double.IsNaN(Wrk) ? 0 : Wrk));

        public override string ToString() => $"{Carts:F2} / {Products:F2} / {Wrk:F2} / {Rest:F2}";

        public string PerRequest(double perSecond) =>
            perSecond > 0 ? $"{Carts / perSecond * 1e6:F0} us / {Products / perSecond * 1e6:F0} us" : "n/a";
    }

    private sealed record CatalogPage(IReadOnlyList<CatalogProduct> Items);

    private sealed record CatalogProduct(int Id, int Stock);

    private sealed record CartCount(int ItemCount);
}
