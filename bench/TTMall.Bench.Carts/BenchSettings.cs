using System.Globalization;

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
                "--users" => settings with { Users = Int(1, 100_000) },
                "--products" => settings with { Products = Int(1, 50) },
                "--lines" => settings with { Lines = Int(0, 50) },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(Int(1, 600)) },
                "--warm-up" => settings with { WarmUp = TimeSpan.FromSeconds(Int(0, 600)) },
                "--connections" => settings with { Connections = Int(1, 10_000) },
                "--wrk-threads" => settings with { WrkThreads = Int(1, 64) },
                "--service-env" => Value().Split('=', 2) is [{ Length: > 0 } name, var value]
                    ? settings with { ServiceEnvironment = new Dictionary<string, string>(settings.ServiceEnvironment) { [name] = value } }
                    : throw new BenchException("--service-env takes NAME=VALUE."),
                var unknown => throw new BenchException($"Unknown option {unknown}.\n\n{Usage}"),
            };
            if (settings is null)
            {
                return null;
            }
        }

        return settings.Lines > settings.Products
            ? throw new BenchException("--lines cannot be more than --products: the prefilled lines are of those products.")
            : settings;
    }
}
