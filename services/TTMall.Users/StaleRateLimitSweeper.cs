using Microsoft.Extensions.Options;

namespace TTMall.Users;

/// <summary>Now and then drops the counters that no longer count, so the table stays the size of the current windows.</summary>
internal sealed class StaleRateLimitSweeper(IServiceScopeFactory scopes, IOptions<UsersOptions> options, TimeProvider time, ILogger<StaleRateLimitSweeper> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RateLimits>().DropStaleAsync(options.Value.LongestWindow, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next round tries again; a table a little larger meanwhile harms nobody.
                logger.LogWarning(e, "Dropping stale rate-limit counters failed.");
            }
        }
    }
}
