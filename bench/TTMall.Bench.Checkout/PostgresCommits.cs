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
/// <para>
/// xact_commit counts every transaction, read-only ones too: each poll of an order's status is one. What the storage
/// pays for is the commits that write (a WAL record flushed), so the server's transaction id counter is read beside it:
/// Postgres assigns an id only to a transaction that writes, read without taking one (<c>pg_current_snapshot()</c>),
/// exact at once, and server-wide (nothing else writes to this server while a phase runs).
/// </para>
/// </summary>
public sealed class PostgresCommits(string superuser, IReadOnlyList<string> databases)
{
    /// <summary>By then every backend has flushed what it counted before (PGSTAT_IDLE_INTERVAL is 10 s), with a margin.</summary>
    public static readonly TimeSpan FlushedWithin = TimeSpan.FromSeconds(11);

    /// <summary>Commits so far (xact_commit summed over the databases), transaction ids assigned so far (writing transactions), and when they were read.</summary>
    public async Task<Reading> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(superuser);
        await connection.OpenAsync(cancellationToken);
        // This backend's own counts are not in any of the mall's databases, but the snapshot it reads must be fresh.
        await using var command = new NpgsqlCommand(
            "SELECT pg_stat_clear_snapshot(); " +
            "SELECT coalesce(sum(xact_commit), 0)::bigint, pg_snapshot_xmax(pg_current_snapshot())::text FROM pg_stat_database WHERE datname = ANY(@names)",
            connection);
        command.Parameters.AddWithValue("names", databases.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Reading(reader.GetInt64(0), long.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture), Stopwatch.GetTimestamp());
    }

    /// <summary>Waits until every backend has flushed what it counted, then reads.</summary>
    public async Task<Reading> ReadSettledAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(FlushedWithin, cancellationToken);
        return await ReadAsync(cancellationToken);
    }

    /// <summary>Commits and writing transactions per second with no load, over <paramref name="window"/>, from an already settled reading <paramref name="settled"/> on.</summary>
    public async Task<(double Commits, double Writes)> IdleRateAsync(Reading settled, TimeSpan window, CancellationToken cancellationToken)
    {
        await Task.Delay(window, cancellationToken);
        var later = await ReadAsync(cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(settled.At, later.At).TotalSeconds;
        return ((later.Commits - settled.Commits) / seconds, (later.Writes - settled.Writes) / seconds);
    }

    /// <param name="Commits">xact_commit summed over the mall's databases.</param>
    /// <param name="Writes">The next transaction id to be assigned: ids assigned so far, one per writing transaction.</param>
    /// <param name="At">A <see cref="Stopwatch"/> timestamp.</param>
    public sealed record Reading(long Commits, long Writes, long At);
}
