using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TTMall.Data;

/// <summary>
/// Applies migrations and seed data while holding a Postgres advisory lock named after the context, so replicas
/// starting together take turns: the first migrates and seeds, the others find nothing left to do. A hosted
/// service's StartAsync completes before the server starts listening, so no request sees a half-made database.
/// </summary>
public sealed class DatabaseMigrator<TContext>(IServiceScopeFactory scopes, Func<TContext, CancellationToken, Task>? seed)
    : IHostedService
    where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var lockKey = LockKey(typeof(TContext).FullName!);

        // Waiting for the lock while another replica migrates and seeds, and the work itself, can outlast the
        // 30 s a command is given by default on a machine busy starting the whole mall; failing then would end the
        // process. A start waits instead, up to a bound that still ends a start that truly hangs.
        context.Database.SetCommandTimeout(StartTimeout);
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({lockKey})", cancellationToken);
            // On a new database MigrateAsync first reads a history table that does not exist yet and logs that
            // failed query as an error; creating the table first keeps a normal start free of errors.
            await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            await context.Database.MigrateAsync(cancellationToken);

            if (seed is not null)
            {
                await seed(context, cancellationToken);
            }
        }
        finally
        {
            await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None);
            await context.Database.CloseConnectionAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>How long each step of preparing the database may take, the wait for the lock included.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    /// <summary>A stable 64-bit key per context type (string.GetHashCode differs between processes).</summary>
    public static long LockKey(string name) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);
}
