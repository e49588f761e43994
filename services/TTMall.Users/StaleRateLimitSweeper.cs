using Microsoft.Extensions.Options;
using TTMall.Eureka.Client;

namespace TTMall.Users;

/// <summary>Now and then drops the counters that no longer count, so the table stays the size of the current windows.</summary>
internal sealed class StaleRateLimitSweeper(IServiceScopeFactory scopes, IOptions<UsersOptions> options, TimeProvider time, ILogger<StaleRateLimitSweeper> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    /// <summary>A round that fails is tried again later; a table a little larger meanwhile harms nobody.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("Stale rate-limit sweep", Every, SweepAsync, logger, time, stoppingToken, firstAfter: Every);

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RateLimits>().DropStaleAsync(options.Value.LongestWindow, cancellationToken);
    }
}
