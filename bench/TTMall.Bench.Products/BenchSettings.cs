namespace TTMall.Bench.Products;

/// <summary>What the benchmark does; the defaults are the load the targets are stated for.</summary>
public sealed record BenchSettings
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/TTMall.Bench.Products [-- options]

          --seconds N               length of each measured run (15)
          --warmup N                seconds of load before each measured run, not counted (3)
          --detail-rate N           requests/s offered in the steady product-detail run (3000, the target)
          --search-rate N           requests/s offered in the steady search run (300)
          --detail-connections N    wrk connections for the flat-out product-detail run (16)
          --search-connections N    wrk connections for the flat-out search run (8)
          --threads N               wrk threads (2)
          --server-dll PATH         the products service to start (default: the Release build in services/)
          --server-env NAME=VALUE   an environment variable for the service (repeatable), for experiments
                                    such as DOTNET_gcServer=0 or OTEL_SDK_DISABLED=true
        """;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);
    public int DetailRate { get; init; } = 3_000;
    public int SearchRate { get; init; } = 300;
    public int DetailConnections { get; init; } = 16;
    public int SearchConnections { get; init; } = 8;
    public int Threads { get; init; } = 2;
    public string? ServerDll { get; init; }
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <returns>null when help was asked for.</returns>
    /// <exception cref="BenchException">An option is unknown or its value is out of range.</exception>
    public static BenchSettings? Parse(IReadOnlyList<string> args) =>
        BenchArguments.Parse(args, Usage, new BenchSettings(), static (settings, a) => a.Option switch
        {
            "--seconds" => settings with { Duration = TimeSpan.FromSeconds(a.Int(1, 600)) },
            "--warmup" => settings with { WarmUp = TimeSpan.FromSeconds(a.Int(0, 60)) },
            "--detail-rate" => settings with { DetailRate = a.Int(1, 1_000_000) },
            "--search-rate" => settings with { SearchRate = a.Int(1, 1_000_000) },
            "--detail-connections" => settings with { DetailConnections = a.Int(1, 10_000) },
            "--search-connections" => settings with { SearchConnections = a.Int(1, 10_000) },
            "--threads" => settings with { Threads = a.Int(1, 64) },
            "--server-dll" => settings with { ServerDll = a.Value() },
            "--server-env" => settings with { ServerEnvironment = a.Environment(settings.ServerEnvironment) },
            _ => throw a.Unknown(),
        });
}
