using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TTMall.Eureka.Client;

namespace TTMall.Data.Idempotency;

/// <summary>Deletes keys past <see cref="IdempotencyKeys.Retention"/> once an hour.</summary>
public sealed class IdempotencyKeyPurge<TContext>(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyKeyPurge<TContext>> logger)
    : BackgroundService
    where TContext : DbContext
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>The first purge an interval after start, when the migrations have long run.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("Idempotency-key purge", Interval, PurgeAsync, logger, time, stoppingToken, firstAfter: Interval);

    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var before = time.GetUtcNow() - IdempotencyKeys.Retention;
        return await db.Set<StoredIdempotencyKey>().Where(k => k.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}
