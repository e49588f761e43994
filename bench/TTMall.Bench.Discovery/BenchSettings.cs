namespace TTMall.Bench.Discovery;

/// <summary>What the benchmark does; the defaults are the figures the targets are stated for.</summary>
public sealed record BenchSettings
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/TTMall.Bench.Discovery [-- options]

          --apps N                  applications to register (50)
          --per-app N               instances per application (20)
          --heartbeat-seconds N     length of the heartbeat run (10)
          --heartbeat-connections N wrk connections for heartbeats (64)
          --fetch-seconds N         length of each fetch run (5)
          --fetch-connections N     wrk connections for fetches (4)
          --wrk-threads N           wrk threads (2)
          --rounds N                registration-to-first-request rounds (10)
          --fetch-interval S        the caller's RegistryFetchIntervalSeconds (0.5, the mall's local profile)
          --delta-retention S       the peer's Discovery:DeltaRetentionSeconds (15; see bench/README.md)
          --no-gzip                 skip the gzip variants of the fetch runs
          --server-dll PATH         the discovery server to start (default: the Release build in services/)
          --server-env NAME=VALUE   an environment variable for the server (repeatable), for experiments
                                    such as DOTNET_gcServer=0 or OTEL_SDK_DISABLED=true
        """;

    public int Apps { get; init; } = 50;
    public int InstancesPerApp { get; init; } = 20;
    public TimeSpan HeartbeatDuration { get; init; } = TimeSpan.FromSeconds(10);
    public int HeartbeatConnections { get; init; } = 64;
    public TimeSpan FetchDuration { get; init; } = TimeSpan.FromSeconds(5);
    public int FetchConnections { get; init; } = 4;
    public int WrkThreads { get; init; } = 2;
    public int Rounds { get; init; } = 10;
    public double FetchIntervalSeconds { get; init; } = 0.5;
    public int DeltaRetentionSeconds { get; init; } = 15;
    public bool Gzip { get; init; } = true;
    public string? ServerDll { get; init; }
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    public int Instances => Apps * InstancesPerApp;

    /// <returns>null when help was asked for.</returns>
    /// <exception cref="BenchException">An option is unknown or its value is out of range.</exception>
    public static BenchSettings? Parse(IReadOnlyList<string> args)
    {
        var parsed = BenchArguments.Parse(args, Usage, new BenchSettings(), static (settings, a) => a.Option switch
        {
            "--apps" => settings with { Apps = a.Int(1, 500) },
            "--per-app" => settings with { InstancesPerApp = a.Int(1, 200) },
            "--heartbeat-seconds" => settings with { HeartbeatDuration = TimeSpan.FromSeconds(a.Int(1, 600)) },
            "--heartbeat-connections" => settings with { HeartbeatConnections = a.Int(1, 10_000) },
            "--fetch-seconds" => settings with { FetchDuration = TimeSpan.FromSeconds(a.Int(1, 600)) },
            "--fetch-connections" => settings with { FetchConnections = a.Int(1, 10_000) },
            "--wrk-threads" => settings with { WrkThreads = a.Int(1, 64) },
            "--rounds" => settings with { Rounds = a.Int(1, 1000) },
            "--fetch-interval" => settings with { FetchIntervalSeconds = a.Seconds(0.05, 60) },
            "--delta-retention" => settings with { DeltaRetentionSeconds = a.Int(1, 3600) },
            "--no-gzip" => settings with { Gzip = false },
            "--server-dll" => settings with { ServerDll = a.Value() },
            "--server-env" => settings with { ServerEnvironment = a.Environment(settings.ServerEnvironment) },
            _ => throw a.Unknown(),
        });
        return parsed is { Instances: > 20_000 }
            ? throw new BenchException("At most 20,000 instances.")
            : parsed;
    }
}
