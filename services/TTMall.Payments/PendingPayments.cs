using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TTMall.Eureka.Client;
using TTMall.Payments.Data;
using TTMall.Payments.Provider;

namespace TTMall.Payments;

/// <summary>
/// Settles payments whose provider call got no deciding answer (a timeout, the provider slow or down) and that the
/// shopper did not send again. Once such a call is long over, the provider's record for the order says what happened;
/// the card is never kept, so the charge is looked up, not made again.
/// </summary>
public sealed class PendingPayments(
    IServiceScopeFactory scopes, IOptions<PaymentProviderOptions> provider, TimeProvider time, ILogger<PendingPayments> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("Pending payments", Interval, SettleAsync, logger, time, stoppingToken, firstAfter: Interval);

    /// <returns>How many payments were decided.</returns>
    public async Task<int> SettleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var client = scope.ServiceProvider.GetRequiredService<PaymentProviderClient>();
        var processor = scope.ServiceProvider.GetRequiredService<PaymentProcessor>();
        // Twice the call's timeout: by then any call made for it has reached the provider or never will.
        var before = time.GetUtcNow() - 2 * provider.Value.Timeout;
        var pending = await db.Payments.AsNoTracking()
            .Where(p => p.Status == PaymentStatus.Pending && p.CreatedAt < before)
            .OrderBy(p => p.CreatedAt)
            .Take(50)
            .Select(p => new { p.Id, p.OrderId })
            .ToListAsync(cancellationToken);
        var decided = 0;
        foreach (var payment in pending)
        {
            var outcome = await client.FindChargeAsync(payment.OrderId, cancellationToken);
            await processor.DecideAsync(payment.Id, outcome, cancellationToken);
            decided += outcome is ChargeOutcome.Unknown ? 0 : 1;
        }

        return decided;
    }
}
