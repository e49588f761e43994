using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using TTMall.Hosting;
using TTMall.Testing;
using TTMall.Testing.Infrastructure;

namespace TTMall.Bench.Products;

/// <summary>
/// The products benchmark: real Postgres (with Redis and RabbitMQ, as the mall starts them), the Release build of
/// the products service as its own process, and wrk asking for product detail and search, each against its target.
/// </summary>
public sealed class ProductsBenchmark(BenchSettings settings, DirectoryInfo temp)
{
    public const double DetailRequestsPerSecondTarget = 3_000;
    public static readonly TimeSpan DetailP99Target = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan SearchP99Target = TimeSpan.FromMilliseconds(50);

    /// <summary>What shoppers type: Chinese of one to four characters, English, a misspelling, two words, with filters and sorts.</summary>
    public static readonly IReadOnlyList<string> SearchQueries =
    [
        "q=键盘",
        "q=机械&sort=price_asc",
        "q=键",
        "q=keyboard",
        "q=keybord",
        "q=无线 鼠标",
        "q=降噪耳机&sort=rating",
        "q=Galaxy&maxPrice=6000",
        "q=Cherry&pageSize=10",
        "q=手机&minPrice=1000&sort=price_desc",
    ];

    /// <summary>The steady runs' pause between a connection's requests; wrk counts it in whole milliseconds.</summary>
    private const int PauseMilliseconds = 10;

    /// <summary>The steady runs offer this much more than the rate asked for, to make up for the latency.</summary>
    private const double Overshoot = 1.1;

    private readonly ProgressLog _log = new();
    private readonly Summary _summary = new();
    private double _disturbed;

    public async Task<Summary> RunAsync(CancellationToken cancellationToken)
    {
        var wrk = Wrk.Locate();
        var dll = settings.ServerDll ?? Path.Combine(Repository.Root, "services", "TTMall.Products", "bin", "Release", "net10.0", "TTMall.Products.dll");
        if (!File.Exists(dll))
        {
            throw new BenchException($"{dll} not found. Build it with: dotnet build -c Release services/TTMall.Products (dotnet run -c Release of this tool does).");
        }

        Log($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; service {dll}");
        Log("starting Postgres, Redis and RabbitMQ with the AppHost's code (local servers, fresh data) ...");
        await using var mall = await LocalMall.StartAsync(cancellationToken);
        Log("starting the products service (migrations and seed data on first start) ...");
        await using var server = Server(dll, mall.ConnectionString("productsdb"), mall.ConnectionString("rabbitmq"));
        await server.StartHealthyAsync(TimeSpan.FromSeconds(120), cancellationToken);
        var baseUrl = server.BaseUri;
        Log($"products service pid {server.ProcessId} at {baseUrl}");
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };

        var ids = await ProductIdsAsync(http, cancellationToken);
        await CheckAnswersAsync(http, ids, cancellationToken);
        Log($"{ids.Count} products; every detail and search answers");

        var meter = new CpuMeter(
            [("service", (pid, _) => pid == server.ProcessId), ("Postgres", (_, name) => name == "postgres"), ("wrk", (_, name) => name == "wrk")],
            rest: "others");
        string[] detailPaths = [.. ids.Select(id => $"/api/products/{id}")];
        string[] searchPaths = [.. SearchQueries.Select(SearchPath)];
        var steadyDetailLoad = Steady("detail-steady.lua", "product detail", detailPaths, settings.DetailRate);
        var steadySearchLoad = Steady("search-steady.lua", "search", searchPaths, settings.SearchRate);
        var steadyDetail = await MeasureAsync("product detail, steady", wrk, baseUrl, steadyDetailLoad, meter, cancellationToken);
        var flatOutDetail = await MeasureAsync("product detail, flat out", wrk, baseUrl, FlatOut("detail-flat-out.lua", "product detail", detailPaths, settings.DetailConnections), meter, cancellationToken);
        var steadySearch = await MeasureAsync("search, steady", wrk, baseUrl, steadySearchLoad, meter, cancellationToken);
        var flatOutSearch = await MeasureAsync("search, flat out", wrk, baseUrl, FlatOut("search-flat-out.lua", "search", searchPaths, settings.SearchConnections), meter, cancellationToken);

        var detail = $"Product detail ({ids.Count} products in turn)";
        _summary.Add(detail, new Figure($"Detail steady: req/s (offered ~{Summary.Count(Offered(steadyDetailLoad))})", Summary.Count(steadyDetail.Result.RequestsPerSecond),
            $">= {Summary.Count(DetailRequestsPerSecondTarget)}", steadyDetail.Result.RequestsPerSecond >= DetailRequestsPerSecondTarget));
        _summary.Add(detail, new Figure("Detail steady: latency p50", Summary.Milliseconds(steadyDetail.Result.P50)));
        _summary.Add(detail, new Figure("Detail steady: latency p99", Summary.Milliseconds(steadyDetail.Result.P99),
            $"<= {Summary.Milliseconds(DetailP99Target)}", steadyDetail.Result.P99 <= DetailP99Target));
        _summary.Add(detail, new Figure("Detail steady: cores used", steadyDetail.Cpu.ToString()));
        _summary.Add(detail, new Figure($"Detail flat out: req/s ({settings.DetailConnections} connections)", Summary.Count(flatOutDetail.Result.RequestsPerSecond),
            $">= {Summary.Count(DetailRequestsPerSecondTarget)}", flatOutDetail.Result.RequestsPerSecond >= DetailRequestsPerSecondTarget));
        _summary.Add(detail, new Figure("Detail flat out: latency p50 / p99", $"{Summary.Milliseconds(flatOutDetail.Result.P50)} / {Summary.Milliseconds(flatOutDetail.Result.P99)}"));
        _summary.Add(detail, new Figure("Detail flat out: cores used", flatOutDetail.Cpu.ToString()));
        _summary.Add(detail, new Figure("Detail errors (socket + non-2xx), both runs", Summary.Count(steadyDetail.Result.Errors + flatOutDetail.Result.Errors), "0",
            steadyDetail.Result.Errors + flatOutDetail.Result.Errors == 0));

        var search = $"Search ({SearchQueries.Count} queries in turn)";
        _summary.Add(search, new Figure($"Search steady: req/s (offered ~{Summary.Count(Offered(steadySearchLoad))})", Summary.Count(steadySearch.Result.RequestsPerSecond)));
        _summary.Add(search, new Figure("Search steady: latency p50", Summary.Milliseconds(steadySearch.Result.P50)));
        _summary.Add(search, new Figure("Search steady: latency p99", Summary.Milliseconds(steadySearch.Result.P99),
            $"<= {Summary.Milliseconds(SearchP99Target)}", steadySearch.Result.P99 <= SearchP99Target));
        _summary.Add(search, new Figure("Search steady: cores used", steadySearch.Cpu.ToString()));
        _summary.Add(search, new Figure($"Search flat out: req/s ({settings.SearchConnections} connections)", Summary.Count(flatOutSearch.Result.RequestsPerSecond)));
        _summary.Add(search, new Figure("Search flat out: latency p50 / p99", $"{Summary.Milliseconds(flatOutSearch.Result.P50)} / {Summary.Milliseconds(flatOutSearch.Result.P99)}"));
        _summary.Add(search, new Figure("Search flat out: cores used", flatOutSearch.Cpu.ToString()));
        _summary.Add(search, new Figure("Search errors (socket + non-2xx), both runs", Summary.Count(steadySearch.Result.Errors + flatOutSearch.Result.Errors), "0",
            steadySearch.Result.Errors + flatOutSearch.Result.Errors == 0));

        _summary.Print(_disturbed, "the latencies");

        Log("stopping the service and the servers ...");
        return _summary;
    }

    /// <summary>
    /// A steady load of about <paramref name="rate"/> requests/s, a little more in fact: a connection waits for an
    /// answer before its pause, so the rate achieved falls short of the rate offered by the latency.
    /// </summary>
    private WrkLoad Steady(string file, string what, IReadOnlyList<string> paths, int rate)
    {
        // Rounded first: 3000 × 1.1 is 3300.0000000000005 in binary floating point.
        var connections = (int)Math.Ceiling(Math.Round(rate * Overshoot * PauseMilliseconds / 1000.0, 6));
        var script = Wrk.WriteScript(temp, file, Wrk.CyclingScript($"GET {what} at about {rate} requests/s", paths, PauseMilliseconds));
        return new WrkLoad(settings.Threads, connections, settings.Duration, script);
    }

    private static double Offered(WrkLoad steady) => steady.Connections * 1000.0 / PauseMilliseconds;

    /// <summary>As many requests as the service answers: each connection asks again as soon as it has an answer.</summary>
    private WrkLoad FlatOut(string file, string what, IReadOnlyList<string> paths, int connections) =>
        new(settings.Threads, connections, settings.Duration, Wrk.WriteScript(temp, file, Wrk.CyclingScript($"GET {what} flat out", paths)));

    private async Task<(WrkResult Result, CpuUse Cpu)> MeasureAsync(
        string what, Wrk wrk, Uri baseUrl, WrkLoad load, CpuMeter meter, CancellationToken cancellationToken)
    {
        if (settings.WarmUp > TimeSpan.Zero)
        {
            Log($"{what}: warming up, wrk {load with { Duration = settings.WarmUp }} (JIT, connection pools, caches)");
            await wrk.RunAsync(baseUrl, load with { Duration = settings.WarmUp }, cancellationToken);
        }

        Log($"{what}: wrk {load} --latency");
        var (result, cpu) = await wrk.RunAsync(baseUrl, load, meter, cancellationToken);
        Log($"{what}: {Summary.Count(result.RequestsPerSecond)} req/s, p50 {Summary.Milliseconds(result.P50)}, p90 {Summary.Milliseconds(result.P90)}, " +
            $"p99 {Summary.Milliseconds(result.P99)}, max {Summary.Milliseconds(result.Max)}, {result.Errors} errors; cores used: {cpu}");
        _disturbed = Math.Max(_disturbed, cpu.OtherCores);
        return (result, cpu);
    }

    private ServiceProcess Server(string dll, string connectionString, string rabbitMq)
    {
        var server = ServiceProcess.OfDll(dll, "products");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__productsdb"] = connectionString,
            // Stock is reserved for orders arriving over RabbitMQ; nothing arrives in this run.
            ["ConnectionStrings__rabbitmq"] = rabbitMq,
            ["Eureka__Client__Enabled"] = "false",
            // Nothing is signed in this run; the service only insists on a usable public key.
            ["Jwt__PublicKeys"] = AccessTokenKeys.PublicKeySet(AccessTokenKeys.NewSigningKey()),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (name, value) in environment.Concat(settings.ServerEnvironment))
        {
            server.Environment[name] = value;
        }

        return server;
    }

    private static async Task<IReadOnlyList<int>> ProductIdsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var ids = new List<int>();
        for (var page = 1; ; page++)
        {
            using var json = JsonDocument.Parse(await http.GetStringAsync($"/api/products?pageSize=100&page={page}", cancellationToken));
            var items = json.RootElement.GetProperty("items");
            ids.AddRange(items.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
            if (items.GetArrayLength() < 100)
            {
                return ids.Count > 0 ? ids : throw new BenchException("the catalog is empty: the seed did not run?");
            }
        }
    }

    /// <summary>The load would be meaningless if the answers were errors or empty: check each once first.</summary>
    private static async Task CheckAnswersAsync(HttpClient http, IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            using var product = JsonDocument.Parse(await http.GetStringAsync($"/api/products/{id}", cancellationToken));
            if (product.RootElement.GetProperty("id").GetInt32() != id || product.RootElement.GetProperty("price").GetDecimal() < 0)
            {
                throw new BenchException($"/api/products/{id} answered {product.RootElement}");
            }
        }

        foreach (var query in SearchQueries)
        {
            var page = await http.GetFromJsonAsync<JsonElement>(SearchPath(query), cancellationToken);
            if (page.GetProperty("total").GetInt32() == 0)
            {
                throw new BenchException($"{SearchPath(query)} found nothing");
            }
        }
    }

    /// <summary>The query with its values percent-encoded (Chinese, spaces), as a browser sends it.</summary>
    private static string SearchPath(string query) =>
        "/api/products?" + string.Join('&', query.Split('&').Select(pair => pair.Split('=', 2) is [var name, var value]
            ? $"{name}={Uri.EscapeDataString(value)}"
            : pair));

    private void Log(string message) => _log.Write(message);
}
