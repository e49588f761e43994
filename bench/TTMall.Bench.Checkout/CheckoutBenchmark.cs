using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;
using TTMall.Testing.Infrastructure;

namespace TTMall.Bench.Checkout;

/// <summary>
/// The checkout benchmark: real Postgres, Redis and RabbitMQ, the products, users, carts, orders, payments services
/// and the payment provider sandbox as processes, and shoppers buying one product after another, submit to Paid,
/// at each number of concurrent shoppers; the outbox latency beside it; and a bare insert-and-commit loop on the same
/// Postgres, which says how close the checkout path comes to what the storage can commit.
/// </summary>
public sealed class CheckoutBenchmark(BenchSettings settings)
{
    public const double StorageRatioTarget = 0.3;
    public const int SubmitToPaidP99Shoppers = 10;
    public static readonly TimeSpan SubmitToPaidP99Target = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan OutboxP99Target = TimeSpan.FromMilliseconds(50);

    /// <summary>The databases a checkout writes to (the provider's is its own, but on the same server).</summary>
    private static readonly string[] MallDatabases = ["productsdb", "usersdb", "ordersdb", "paymentsdb", "providerdb"];

    /// <summary>Shoppers per product: a popular product's stock row is shared, as on a sale day.</summary>
    private const int ShoppersPerProduct = 5;

    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(5);

    private readonly ProgressLog _log = new();
    private readonly Summary _summary = new();
    private double _disturbed;

    public async Task<Summary> RunAsync(CancellationToken cancellationToken)
    {
        Log($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, services' {BuiltServices.Configuration} builds");
        Log("starting Postgres, Redis and RabbitMQ with the AppHost's code (local servers, fresh data) ...");
        await using var mall = await LocalMall.StartAsync(cancellationToken);
        Log("starting products, users, carts, orders, the payment provider and payments (migrations on first start) ...");
        await using var fleet = await CheckoutFleet.StartAsync(mall, settings.ServiceEnvironment, Log, cancellationToken);

        using var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = int.MaxValue };
        var shoppers = await PrepareAsync(mall, fleet, handler, cancellationToken);
        try
        {
            var databases = MallDatabases.Select(d => new NpgsqlConnectionStringBuilder(mall.ConnectionString(d)).Database!).ToArray();
            var commits = new PostgresCommits(mall.PostgresSuperuser, databases);
            var meter = new CpuMeter(
            [
                ("services", (pid, _) => fleet.Services.Any(s => s.ProcessId == pid)),
                ("Postgres", (_, name) => name == "postgres"),
                ("RabbitMQ", (_, name) => name is "beam.smp" or "erl_child_setup" or "epmd"),
                ("Redis", (_, name) => name == "redis-server"),
                ("shoppers", (pid, _) => pid == Environment.ProcessId),
            ], rest: "others");

            await FirstCheckoutAsync(shoppers[0], fleet, cancellationToken);
            var phases = new List<Phase>();
            foreach (var count in settings.Shoppers)
            {
                phases.Add(await PhaseAsync(count, shoppers.Take(count).ToList(), commits, meter, fleet, cancellationToken));
            }

            var busiest = phases.MaxBy(p => p.Shoppers)!;
            Log($"bare loop: {busiest.Shoppers} connections inserting and committing one row each, {settings.Duration.TotalSeconds:0} s ...");
            var bare = await BareCommitLoop.RunAsync(mall.PostgresSuperuser, busiest.Shoppers, settings.Duration, cancellationToken);
            Log($"bare loop: {Summary.Count(bare)} commits/s");

            Log($"outbox: {settings.OutboxWriters} writers, one event at a time each, {settings.OutboxDuration.TotalSeconds:0} s ...");
            var (latencies, written) = await OutboxLatency.RunAsync(
                mall.PostgresSuperuser, mall.ConnectionString("productsdb"), mall.ConnectionString("rabbitmq"),
                settings.OutboxWriters, settings.OutboxDuration, cancellationToken);
            var outbox = Percentiles.Of(latencies);
            Log($"outbox: {written} events, commit → consumer p50 {Summary.Milliseconds(outbox.P50)}, p99 {Summary.Milliseconds(outbox.P99)}, max {Summary.Milliseconds(outbox.Max)}");

            Report(phases, busiest, bare, outbox, written);
            _summary.Print(_disturbed, "the figures");
            Log("stopping the services and the servers ...");
            return _summary;
        }
        finally
        {
            foreach (var shopper in shoppers)
            {
                shopper.Dispose();
            }
        }
    }

    private async Task<List<BenchShopper>> PrepareAsync(LocalMall mall, CheckoutFleet fleet, HttpMessageHandler handler, CancellationToken cancellationToken)
    {
        var count = settings.Shoppers.Max();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var products = await Storefront.AddProductsAsync(
                mall.ConnectionString("productsdb"), (count + ShoppersPerProduct - 1) / ShoppersPerProduct, cancellationToken);
            var shoppers = new ConcurrentDictionary<int, BenchShopper>();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var (token, address) = await Storefront.SignUpAsync(handler, fleet.Users.BaseUri, mall.ConnectionString("usersdb"), ct);
                    shoppers[i] = BenchShopper.Create(handler, token, address, products[i / ShoppersPerProduct],
                        fleet.Carts.BaseUri, fleet.Orders.BaseUri, fleet.Payments.BaseUri);
                });
            Log($"{count} shoppers signed up and in, each with an address; {products.Count} products with {Summary.Count(Storefront.Stock)} in stock each, " +
                $"{ShoppersPerProduct} shoppers a product ({Summary.Duration(Stopwatch.GetElapsedTime(started))})");
            return [.. shoppers.OrderBy(s => s.Key).Select(s => s.Value)];
        }
        catch (Exception e) when (e is not (OperationCanceledException or BenchException))
        {
            fleet.EnsureAlive();
            throw new BenchException($"preparing the shoppers failed: {e.Message}");
        }
    }

    /// <summary>One checkout alone first: the path works end to end (load on failures would measure nothing), and is compiled.</summary>
    private async Task FirstCheckoutAsync(BenchShopper shopper, CheckoutFleet fleet, CancellationToken cancellationToken)
    {
        try
        {
            var (reserved, paid) = await shopper.CheckoutAsync(settings.PollInterval, cancellationToken, BenchShopper.FirstGiveUpAfter);
            Log($"first checkout: awaitingPayment after {Summary.Duration(reserved)}, Paid after {Summary.Duration(paid)}");
        }
        catch (Exception e) when (e is CheckoutFailedException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            fleet.EnsureAlive();
            throw new BenchException($"the first checkout failed: {e.Message}");
        }
    }

    private async Task<Phase> PhaseAsync(
        int count, IReadOnlyList<BenchShopper> shoppers, PostgresCommits commits, CpuMeter meter, CheckoutFleet fleet, CancellationToken cancellationToken)
    {
        if (settings.WarmUp > TimeSpan.Zero)
        {
            Log($"{count} shoppers: warming up for {settings.WarmUp.TotalSeconds:0} s (JIT, connection pools, caches) ...");
            var warm = await ShopAsync(shoppers, settings.WarmUp, cancellationToken);
            Log($"{count} shoppers: warm-up {warm.Times.Count} checkouts, {warm.Failures.Count} failed{(warm.Failures.Count > 0 ? $", e.g. {warm.Failures[0]}" : "")}");
        }

        Log($"{count} shoppers: waiting {PostgresCommits.FlushedWithin.TotalSeconds:0} s for Postgres's statistics to settle ...");
        var before = await commits.ReadSettledAsync(cancellationToken);
        Log($"{count} shoppers: checking out for {settings.Duration.TotalSeconds:0} s ...");
        var cpuStart = meter.Take();
        var run = await ShopAsync(shoppers, settings.Duration, cancellationToken);
        var cpu = meter.Between(cpuStart, meter.Take());
        fleet.EnsureAlive();
        var after = await commits.ReadSettledAsync(cancellationToken);
        var idle = await commits.IdleRateAsync(after, IdleWindow, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(before.At, after.At).TotalSeconds;
        double PerCheckout(long delta, double idlePerSecond) =>
            run.Times.Count == 0 ? double.NaN : (delta - idlePerSecond * seconds) / run.Times.Count;
        var phase = new Phase(count, run.Times.Count, run.Failures, run.Elapsed, Percentiles.Of([.. run.Times.Select(t => t.Paid)]),
            Percentiles.Of([.. run.Times.Select(t => t.Reserved)]),
            PerCheckout(after.Writes - before.Writes, idle.Writes), PerCheckout(after.Commits - before.Commits, idle.Commits), cpu);
        _disturbed = Math.Max(_disturbed, cpu.OtherCores);
        Log(string.Create(CultureInfo.InvariantCulture,
            $"{count} shoppers: {phase.Checkouts} checkouts in {phase.Elapsed.TotalSeconds:F1} s = {phase.PerSecond:F1}/s, submit → awaitingPayment p50 {Summary.Milliseconds(phase.Reserved.P50)}, " +
            $"p99 {Summary.Milliseconds(phase.Reserved.P99)}; submit → Paid p50 {Summary.Milliseconds(phase.Latency.P50)}, " +
            $"p99 {Summary.Milliseconds(phase.Latency.P99)}, max {Summary.Milliseconds(phase.Latency.Max)}; {phase.Failures.Count} failed; " +
            $"{after.Writes - before.Writes} writing transactions ({idle.Writes:F1}/s idle) → {phase.WritesPerCheckout:F1} a checkout; " +
            $"{after.Commits - before.Commits} commits of any kind ({idle.Commits:F1}/s idle) → {phase.CommitsPerCheckout:F1} a checkout; cores: {cpu}"));
        foreach (var failure in run.Failures.Take(3))
        {
            Log($"   failed: {failure}");
        }

        return phase;
    }

    /// <summary>Every shopper checks out again and again until <paramref name="duration"/> has passed; the last checkouts are finished, not cut off.</summary>
    private async Task<(IReadOnlyList<(TimeSpan Reserved, TimeSpan Paid)> Times, IReadOnlyList<string> Failures, TimeSpan Elapsed)> ShopAsync(
        IReadOnlyList<BenchShopper> shoppers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var times = new ConcurrentBag<(TimeSpan Reserved, TimeSpan Paid)>();
        var failures = new ConcurrentBag<string>();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(shoppers.Select(shopper => Task.Run(async () =>
        {
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                try
                {
                    times.Add(await shopper.CheckoutAsync(settings.PollInterval, cancellationToken));
                }
                catch (Exception e) when (e is CheckoutFailedException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    failures.Add(e.Message);
                }
            }
        }, cancellationToken)));
        return ([.. times], [.. failures], Stopwatch.GetElapsedTime(started));
    }

    private void Report(IReadOnlyList<Phase> phases, Phase busiest, double bare, Percentiles outbox, int outboxEvents)
    {
        foreach (var phase in phases)
        {
            var section = $"{phase.Shoppers} shoppers, {settings.Duration.TotalSeconds:0} s";
            _summary.Add(section, new Figure($"{phase.Shoppers} shoppers: checkouts/s (submit → Paid observed)", phase.PerSecond.ToString("F1", CultureInfo.InvariantCulture)));
            _summary.Add(section, new Figure($"{phase.Shoppers} shoppers: submit → awaitingPayment p50 / p99 (stock reserved)",
                $"{Summary.Milliseconds(phase.Reserved.P50)} / {Summary.Milliseconds(phase.Reserved.P99)}"));
            _summary.Add(section, new Figure($"{phase.Shoppers} shoppers: submit → Paid p50", Summary.Milliseconds(phase.Latency.P50)));
            var p99 = new Figure($"{phase.Shoppers} shoppers: submit → Paid p99", Summary.Milliseconds(phase.Latency.P99));
            _summary.Add(section, phase.Shoppers == SubmitToPaidP99Shoppers
                ? p99 with { Target = $"<= {Summary.Milliseconds(SubmitToPaidP99Target)}", Pass = phase.Checkouts > 0 && phase.Latency.P99 <= SubmitToPaidP99Target }
                : p99);
            _summary.Add(section, new Figure($"{phase.Shoppers} shoppers: failed checkouts", Summary.Count(phase.Failures.Count), "0", phase.Failures.Count == 0));
            _summary.Add(section, new Figure($"{phase.Shoppers} shoppers: Postgres writing commits a checkout", phase.WritesPerCheckout.ToString("F1", CultureInfo.InvariantCulture)));
            _summary.Add(section, new Figure($"{phase.Shoppers} shoppers: ... commits of any kind (xact_commit), reads too", phase.CommitsPerCheckout.ToString("F1", CultureInfo.InvariantCulture)));
            _summary.Add(section, new Figure($"{phase.Shoppers} shoppers: cores used", phase.Cpu.ToString()));
        }

        var ratio = busiest.PerSecond * busiest.WritesPerCheckout / bare;
        const string storage = "Storage limit (same Postgres)";
        _summary.Add(storage, new Figure($"Bare loop: commits/s ({busiest.Shoppers} connections, INSERT + COMMIT)", Summary.Count(bare)));
        _summary.Add(storage, new Figure(
            string.Create(CultureInfo.InvariantCulture, $"Checkout writing commits/s ÷ bare ({busiest.PerSecond:F1} × {busiest.WritesPerCheckout:F1} ÷ {bare:F0})"),
            ratio.ToString("F2", CultureInfo.InvariantCulture), $">= {StorageRatioTarget.ToString("F1", CultureInfo.InvariantCulture)}", ratio >= StorageRatioTarget));

        var events = $"Outbox ({settings.OutboxWriters} writers, {Summary.Count(outboxEvents)} events)";
        _summary.Add(events, new Figure("Outbox commit → consumer p50", Summary.Milliseconds(outbox.P50)));
        _summary.Add(events, new Figure("Outbox commit → consumer p99", Summary.Milliseconds(outbox.P99),
            $"<= {Summary.Milliseconds(OutboxP99Target)}", outbox.P99 <= OutboxP99Target));
    }

    private void Log(string message) => _log.Write(message);
}
