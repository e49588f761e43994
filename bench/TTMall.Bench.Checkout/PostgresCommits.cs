using System.Diagnostics;
using Npgsql;

namespace TTMall.Bench.Checkout;

/// <summary>
/// Transactions committed in the mall's databases, from <c>pg_stat_database.xact_commit</c>. Postgres updates these
/// counters lazily: each backend keeps its counts to itself and flushes them at most once a second while busy, and
/// an idle backend with unflushed counts flushes them within <see cref="FlushedWithin"/> (PGSTAT_IDLE_INTERVAL, 10 s).
/// <c>pg_stat_force_next_flush()</c> only concerns the backend that calls it, not the services' connections, so a
/// reading is taken once that long has passed since the load stopped. The services' own background work (the outbox
/// relays' polls, the payment deadline scan) commits too, load or not: <see cref="IdleRateAsync"/> measures it so
/// that it can be taken out.
/// </summary>
public sealed class PostgresCommits(string superuser, IReadOnlyList<string> databases)
{
    /// <summary>By then every backend has flushed what it counted before (PGSTAT_IDLE_INTERVAL is 10 s), with a margin.</summary>
    public static readonly TimeSpan FlushedWithin = TimeSpan.FromSeconds(11);

    /// <summary>Commits so far, summed over the databases, and when they were read.</summary>
    public async Task<(long Commits, long At)> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(superuser);
        await connection.OpenAsync(cancellationToken);
        // This backend's own counts are not in any of the mall's databases, but the snapshot it reads must be fresh.
        await using var command = new NpgsqlCommand(
            "SELECT pg_stat_clear_snapshot(); SELECT coalesce(sum(xact_commit), 0)::bigint FROM pg_stat_database WHERE datname = ANY(@names)",
            connection);
        command.Parameters.AddWithValue("names", databases.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), Stopwatch.GetTimestamp());
    }

    /// <summary>Waits until every backend has flushed what it counted, then reads.</summary>
    public async Task<(long Commits, long At)> ReadSettledAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(FlushedWithin, cancellationToken);
        return await ReadAsync(cancellationToken);
    }

    /// <summary>Commits per second with no load, over <paramref name="window"/>, from an already settled reading <paramref name="settled"/> on.</summary>
    public async Task<double> IdleRateAsync((long Commits, long At) settled, TimeSpan window, CancellationToken cancellationToken)
    {
        await Task.Delay(window, cancellationToken);
        var later = await ReadAsync(cancellationToken);
        return (later.Commits - settled.Commits) / Stopwatch.GetElapsedTime(settled.At, later.At).TotalSeconds;
    }
}
