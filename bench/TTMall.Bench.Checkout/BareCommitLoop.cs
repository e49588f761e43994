using System.Diagnostics;
using Npgsql;

namespace TTMall.Bench.Checkout;

/// <summary>
/// The storage limit the checkout is compared with: connections each inserting one row and committing it (a single
/// INSERT outside a transaction block commits on its own: one round trip, one WAL flush per commit), as fast as the
/// server takes them, in a database of their own on the same Postgres.
/// </summary>
public static class BareCommitLoop
{
    /// <returns>Commits per second over the run, all connections together.</returns>
    public static async Task<double> RunAsync(string superuser, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var database = await CreateDatabaseAsync(superuser, cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(superuser) { Database = database, MaxPoolSize = connections + 2, Pooling = true };
        await using (var setup = new NpgsqlConnection(builder.ConnectionString))
        {
            await setup.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand("CREATE TABLE t (id uuid PRIMARY KEY, n bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)", setup);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        long commits = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var insert = new NpgsqlCommand("INSERT INTO t (id, n, payload) VALUES ($1, $2, $3)", connection);
            insert.Parameters.Add(new NpgsqlParameter<Guid>());
            insert.Parameters.Add(new NpgsqlParameter<long>());
            insert.Parameters.Add(new NpgsqlParameter<string>());
            await insert.PrepareAsync(cancellationToken);
            for (long n = 0; Stopwatch.GetElapsedTime(started) < duration; n++)
            {
                ((NpgsqlParameter<Guid>)insert.Parameters[0]).TypedValue = Guid.CreateVersion7();
                ((NpgsqlParameter<long>)insert.Parameters[1]).TypedValue = n;
                ((NpgsqlParameter<string>)insert.Parameters[2]).TypedValue = $"worker {worker}, row {n}";
                await insert.ExecuteNonQueryAsync(cancellationToken);
                Interlocked.Increment(ref commits);
            }
        }));
        return commits / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<string> CreateDatabaseAsync(string superuser, CancellationToken cancellationToken)
    {
        var name = $"bench_commits_{Guid.NewGuid():N}"[..30];
        await using var connection = new NpgsqlConnection(superuser);
        await connection.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return name;
    }
}
