using Microsoft.Extensions.Options;
using TTMall.Data;
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

    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.CurrentValue.DeadlineScanInterval, time, stoppingToken);
                try
                {
                    await CancelOverdueAsync(stoppingToken);
                    _failing = false;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Said once per outage (the database down), not every second.
                    if (!_failing)
                    {
                        LogScanFailed(logger, e);
                        _failing = true;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not cancel orders past their payment deadline; trying again")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
