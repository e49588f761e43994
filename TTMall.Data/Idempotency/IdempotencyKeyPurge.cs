using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TTMall.Data.Idempotency;

/// <summary>Deletes keys past <see cref="IdempotencyKeys.Retention"/> once an hour.</summary>
public sealed partial class IdempotencyKeyPurge<TContext>(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyKeyPurge<TContext>> logger)
    : BackgroundService
    where TContext : DbContext
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PurgeAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPurgeFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var before = time.GetUtcNow() - IdempotencyKeys.Retention;
        return await db.Set<StoredIdempotencyKey>().Where(k => k.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forget old idempotency keys; trying again in an hour")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
