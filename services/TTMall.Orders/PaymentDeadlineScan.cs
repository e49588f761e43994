using Microsoft.Extensions.Options;
using TTMall.Data;
using TTMall.Eureka.Client;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>
/// Cancels orders whose payment deadline has passed, on every replica, every <see cref="OrdersOptions.DeadlineScanInterval"/>.
/// Each order is cancelled in a transaction of its own with its OrderCancelled (so the products service releases the
/// stock); replicas scanning at once skip the orders another has locked, so no order is cancelled twice.
/// </summary>
public sealed partial class PaymentDeadlineScan(
    IServiceScopeFactory scopes, TimeProvider time, IOptionsMonitor<OrdersOptions> options, ILogger<PaymentDeadlineScan> logger)
    : BackgroundService
{
    /// <summary>At most this many per scan, so a backlog (after downtime) does not keep one scan from ending.</summary>
    public const int MaxPerScan = 500;

    /// <summary>The first scan an interval after start; the interval is read once, at start.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.CurrentValue.DeadlineScanInterval;
        return BackgroundLoop.RunAsync("Payment deadline scan", interval, CancelOverdueAsync, logger, time, stoppingToken, firstAfter: interval);
    }

    /// <summary>Cancels the orders overdue now; returns how many.</summary>
    public async Task<int> CancelOverdueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var cancelled = 0;
        while (cancelled < MaxPerScan)
        {
            var now = time.GetUtcNow();
            var found = await db.InTransactionAsync(async ct =>
            {
                if (await db.LockOneOverdueAsync(now, ct) is not { } order)
                {
                    return false;
                }

                OrderTransitions.DeadlinePassed(db, order, now);
                await db.SaveChangesAsync(ct);
                LogCancelled(logger, order.Id);
                return true;
            }, cancellationToken);
            if (!found)
            {
                break;
            }

            cancelled++;
        }

        return cancelled;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} cancelled: its payment deadline passed")]
    private static partial void LogCancelled(ILogger logger, Guid orderId);

}
