namespace TTMall.Bench.Checkout;

/// <summary>What the benchmark does; the defaults are the load the targets are stated for.</summary>
public sealed record BenchSettings
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/TTMall.Bench.Checkout [-- options]

          --seconds N               length of each timed phase (20)
          --warmup N                seconds of checkouts before each timed phase, not counted (5)
          --shoppers N              concurrent shoppers of a phase (repeatable; default 10, then 50)
          --poll-ms N               how often a shopper asks for the order's status (10)
          --outbox-seconds N        how long events are written for the outbox latency (10)
          --outbox-writers N        events written in parallel, one at a time each (4)
          --service-env NAME=VALUE  an environment variable for every service (repeatable), for experiments
                                    such as DOTNET_gcServer=0
        """;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);
    public IReadOnlyList<int> Shoppers { get; init; } = [10, 50];
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan OutboxDuration { get; init; } = TimeSpan.FromSeconds(10);
    public int OutboxWriters { get; init; } = 4;
    public IReadOnlyDictionary<string, string> ServiceEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Set when --shoppers was given: the first one replaces the defaults, the next ones add to it.</summary>
    private bool ShoppersGiven { get; init; }

    /// <returns>null when help was asked for.</returns>
    /// <exception cref="BenchException">An option is unknown or its value is out of range.</exception>
    public static BenchSettings? Parse(IReadOnlyList<string> args) =>
        BenchArguments.Parse(args, Usage, new BenchSettings(), static (settings, a) => a.Option switch
        {
            "--seconds" => settings with { Duration = TimeSpan.FromSeconds(a.Int(1, 600)) },
            "--warmup" => settings with { WarmUp = TimeSpan.FromSeconds(a.Int(0, 60)) },
            "--shoppers" => settings with { Shoppers = [.. settings.ShoppersGiven ? settings.Shoppers : [], a.Int(1, 500)], ShoppersGiven = true },
            "--poll-ms" => settings with { PollInterval = TimeSpan.FromMilliseconds(a.Int(1, 1000)) },
            "--outbox-seconds" => settings with { OutboxDuration = TimeSpan.FromSeconds(a.Int(1, 600)) },
            "--outbox-writers" => settings with { OutboxWriters = a.Int(1, 64) },
            "--service-env" => settings with { ServiceEnvironment = a.Environment(settings.ServiceEnvironment) },
            _ => throw a.Unknown(),
        });
}
