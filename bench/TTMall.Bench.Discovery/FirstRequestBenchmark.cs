using System.Diagnostics;
using System.Globalization;
using System.Net;
using TTMall.Eureka;

namespace TTMall.Bench.Discovery;

/// <summary>
/// Registration-to-first-request, per round (null where no request came within the round's time limit), and the
/// cores the caller process used meanwhile (its Eureka client fetching, its calls every 20 ms).
/// </summary>
public sealed record FirstRequestTimes(IReadOnlyList<TimeSpan?> Rounds, double CallerCores)
{
    public IReadOnlyList<TimeSpan> Arrived => [.. Rounds.OfType<TimeSpan>().Order()];
    public int Missed => Rounds.Count(r => r is null);
}

/// <summary>
/// How long after a new instance registers does another process send it its first request? The caller process
/// polls http://bench-new/ping; each round this process opens a new Kestrel listener, registers it (app BENCH-NEW,
/// UP) with a raw POST, and times from the POST's response (T0) to the first /ping arriving (T1), on one clock.
/// Then it cancels the instance and waits until the caller's calls fail again before the next round.
/// </summary>
public sealed class FirstRequestBenchmark(BenchFleet fleet, Uri eureka, double fetchIntervalSeconds, Action<string> log)
{
    public const string Service = "bench-new";
    public static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(10);
    private const string App = "BENCH-NEW";
    private static readonly TimeSpan CallerTimeout = TimeSpan.FromSeconds(30);

    public async Task<FirstRequestTimes> RunAsync(int rounds, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var caller = CallerProcess.Start(eureka, Service, fetchIntervalSeconds);
        await caller.WaitForAsync(ok: false, CallerTimeout, cancellationToken);
        log($"caller ready (fetched the registry; its calls fail: {caller.LastFailure})");

        var results = new List<TimeSpan?>();
        // Measured from the second round on: the first one pays for the caller's JIT on its first successful calls.
        var (started, cpuAtStart) = (Stopwatch.GetTimestamp(), caller.CpuTime);
        for (var round = 1; round <= rounds; round++)
        {
            // Registrations land at random points of the caller's fetch cycle, not in step with it.
            await Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() * fetchIntervalSeconds), cancellationToken);

            await using var listener = await PingListener.StartAsync(cancellationToken);
            var id = $"bench-new-{round.ToString(CultureInfo.InvariantCulture)}-{listener.Port.ToString(CultureInfo.InvariantCulture)}";
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var instance = BenchFleet.Describe(App, id, listener.Port, now) with { VipAddress = Service, SecureVipAddress = Service };
            await fleet.RegisterAsync(instance, cancellationToken);
            var registered = Stopwatch.GetTimestamp();

            TimeSpan? elapsed;
            try
            {
                elapsed = Stopwatch.GetElapsedTime(registered, await listener.FirstPing.WaitAsync(RoundTimeout, cancellationToken));
                await caller.WaitForAsync(ok: true, CallerTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                elapsed = null;
            }

            results.Add(elapsed);
            log(elapsed is { } e
                ? $"round {round,2}: first request {e.TotalMilliseconds,6:F0} ms after registration ({id})"
                : $"round {round,2}: no request within {RoundTimeout.TotalSeconds:F0} s ({id}); caller says: {caller.LastFailure}");

            await fleet.CancelAsync(App, id, cancellationToken);
            await caller.WaitForAsync(ok: false, CallerTimeout, cancellationToken);
            if (round == 1 && rounds > 1)
            {
                (started, cpuAtStart) = (Stopwatch.GetTimestamp(), caller.CpuTime);
            }
        }

        return new FirstRequestTimes(results, (caller.CpuTime - cpuAtStart).TotalSeconds / Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>A tiny Kestrel server on a free loopback port that notes when the first /ping arrives.</summary>
    private sealed class PingListener : IAsyncDisposable
    {
        private readonly TaskCompletionSource<long> _firstPing = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WebApplication? _app;

        public int Port { get; private set; }

        /// <summary>Stopwatch timestamp of the first /ping.</summary>
        public Task<long> FirstPing => _firstPing.Task;

        public static async Task<PingListener> StartAsync(CancellationToken cancellationToken)
        {
            var listener = new PingListener();
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            // The default console lifetime would take Ctrl+C and SIGTERM for this listener alone; the benchmark handles them.
            builder.Services.AddSingleton<IHostLifetime, SignalBlindLifetime>();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapGet("/ping", () =>
            {
                listener._firstPing.TrySetResult(Stopwatch.GetTimestamp());
                return "pong";
            });
            await app.StartAsync(cancellationToken);
            listener._app = app;
            listener.Port = new Uri(app.Urls.First()).Port;
            return listener;
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.StopAsync(TimeSpan.FromSeconds(2));
                await _app.DisposeAsync();
            }
        }
    }

    private sealed class SignalBlindLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
