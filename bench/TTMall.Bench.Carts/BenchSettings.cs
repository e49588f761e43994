namespace TTMall.Bench.Carts;

/// <summary>What the benchmark does; the defaults are the figures bench/README.md reports.</summary>
public sealed record BenchSettings
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/TTMall.Bench.Carts [-- options]

          --users N            shoppers, each with an access token of their own (1000)
          --products N         products the adds spread over, those with the most stock (10)
          --lines N            lines in every cart before the read run (5)
          --seconds N          length of each measured run (10)
          --warm-up N          seconds of load before each measured run (3)
          --connections N      wrk connections (32)
          --wrk-threads N      wrk threads (2)
          --service-env NAME=VALUE
                               an environment variable for both services (repeatable), for experiments
                               such as DOTNET_gcServer=0 or Carts__ProductSnapshotLifetime=00:00:00
        """;

    public int Users { get; init; } = 1000;
    public int Products { get; init; } = 10;
    public int Lines { get; init; } = 5;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);
    public int Connections { get; init; } = 32;
    public int WrkThreads { get; init; } = 2;
    public IReadOnlyDictionary<string, string> ServiceEnvironment { get; init; } = new Dictionary<string, string>();

    /// <returns>null when help was asked for.</returns>
    /// <exception cref="BenchException">An option is unknown or its value is out of range.</exception>
    public static BenchSettings? Parse(IReadOnlyList<string> args)
    {
        var parsed = BenchArguments.Parse(args, Usage, new BenchSettings(), static (settings, a) => a.Option switch
        {
            "--users" => settings with { Users = a.Int(1, 100_000) },
            "--products" => settings with { Products = a.Int(1, 50) },
            "--lines" => settings with { Lines = a.Int(0, 50) },
            "--seconds" => settings with { Duration = TimeSpan.FromSeconds(a.Int(1, 600)) },
            "--warm-up" => settings with { WarmUp = TimeSpan.FromSeconds(a.Int(0, 600)) },
            "--connections" => settings with { Connections = a.Int(1, 10_000) },
            "--wrk-threads" => settings with { WrkThreads = a.Int(1, 64) },
            "--service-env" => settings with { ServiceEnvironment = a.Environment(settings.ServiceEnvironment) },
            _ => throw a.Unknown(),
        });
        return parsed is not null && parsed.Lines > parsed.Products
            ? throw new BenchException("--lines cannot be more than --products: the prefilled lines are of those products.")
            : parsed;
    }
}
