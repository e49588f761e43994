using System.Globalization;

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
    public static BenchSettings? Parse(IReadOnlyList<string> args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new BenchException($"{args[i]} needs a value.\n\n{Usage}");
            int Int(int min, int max) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new BenchException($"{args[i - 1]} takes a whole number from {min} to {max}.");

            settings = args[i] switch
            {
                "-h" or "--help" => null,
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(Int(1, 600)) },
                "--warmup" => settings with { WarmUp = TimeSpan.FromSeconds(Int(0, 60)) },
                "--detail-rate" => settings with { DetailRate = Int(1, 1_000_000) },
                "--search-rate" => settings with { SearchRate = Int(1, 1_000_000) },
                "--detail-connections" => settings with { DetailConnections = Int(1, 10_000) },
                "--search-connections" => settings with { SearchConnections = Int(1, 10_000) },
                "--threads" => settings with { Threads = Int(1, 64) },
                "--server-dll" => settings with { ServerDll = Value() },
                "--server-env" => Value().Split('=', 2) is [{ Length: > 0 } name, var value]
                    ? settings with { ServerEnvironment = new Dictionary<string, string>(settings.ServerEnvironment) { [name] = value } }
                    : throw new BenchException("--server-env takes NAME=VALUE."),
                var unknown => throw new BenchException($"Unknown option {unknown}.\n\n{Usage}"),
            };
            if (settings is null)
            {
                return null;
            }
        }

        return settings;
    }
}
