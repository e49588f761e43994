using System.Globalization;

namespace TTMall.Bench.Gateway;

/// <summary>What the benchmark does; the defaults are the load the targets are stated for.</summary>
public sealed record BenchSettings
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/TTMall.Bench.Gateway [-- options]

          --seconds N               length of each measured run (10)
          --warmup N                seconds of load before each measured run, not counted (5)
          --rounds N                rounds of direct / gateway / nginx, averaged (2)
          --connections N           wrk connections, each asking again as soon as it is answered (32)
          --threads N               wrk threads (2)
          --slow-nice N             niceness given to one products replica to make it the slow one in the
                                    load-balancing comparison (10; 0 skips that part)
          --only SECTIONS           run only these, comma-separated: proxies, balancing, failover (all)
          --gateway-env NAME=VALUE  an environment variable for the gateway (repeatable), for experiments such as
                                    DOTNET_gcServer=0 or OTEL_SDK_DISABLED=true
          --products-env NAME=VALUE an environment variable for both products replicas (repeatable)
          --nginx-workers N         nginx worker_processes (default: auto, one per core)
          --hold                    start everything, print the addresses, and keep it running until Ctrl+C
                                    instead of measuring (for experiments of your own with wrk, perf, ...)
        """;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);
    public int Rounds { get; init; } = 2;
    public int Connections { get; init; } = 32;
    public int Threads { get; init; } = 2;
    public int SlowNice { get; init; } = 10;
    public IReadOnlySet<string> Sections { get; init; } = AllSections;

    public static readonly IReadOnlySet<string> AllSections = new HashSet<string> { "proxies", "balancing", "failover" };
    public string NginxWorkers { get; init; } = "auto";
    public IReadOnlyDictionary<string, string> GatewayEnvironment { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> ProductsEnvironment { get; init; } = new Dictionary<string, string>();
    public bool Hold { get; init; }

    /// <returns>null when help was asked for.</returns>
    /// <exception cref="BenchException">An option is unknown or its value is out of range.</exception>
    public static BenchSettings? Parse(IReadOnlyList<string> args) =>
        BenchArguments.Parse(args, Usage, new BenchSettings(), static (settings, a) => a.Option switch
        {
            "--seconds" => settings with { Duration = TimeSpan.FromSeconds(a.Int(3, 600)) },
            "--warmup" => settings with { WarmUp = TimeSpan.FromSeconds(a.Int(0, 60)) },
            "--rounds" => settings with { Rounds = a.Int(1, 20) },
            "--connections" => settings with { Connections = a.Int(1, 10_000) },
            "--threads" => settings with { Threads = a.Int(1, 64) },
            "--slow-nice" => settings with { SlowNice = a.Int(0, 19) },
            "--only" => a.Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } only && only.All(AllSections.Contains)
                ? settings with { Sections = only.ToHashSet() }
                : throw new BenchException($"--only takes sections from: {string.Join(", ", AllSections)}."),
            "--nginx-workers" => settings with { NginxWorkers = a.Int(1, 64).ToString(CultureInfo.InvariantCulture) },
            "--products-env" => settings with { ProductsEnvironment = a.Environment(settings.ProductsEnvironment) },
            "--hold" => settings with { Hold = true },
            "--gateway-env" => settings with { GatewayEnvironment = a.Environment(settings.GatewayEnvironment) },
            _ => throw a.Unknown(),
        });
}
