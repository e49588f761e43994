using MassTransit;
using Microsoft.Extensions.Options;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>The products service holds the order's stock: the shopper may pay now, until the deadline.</summary>
public sealed class StockReservedConsumer(OrdersDbContext db, TimeProvider time, IOptionsMonitor<OrdersOptions> options)
    : InboxConsumer<OrdersDbContext, StockReserved>(db)
{
    protected override async Task HandleAsync(StockReserved message, ConsumeContext<StockReserved> context, CancellationToken cancellationToken)
    {
        if (await Db.LockOrderAsync(message.OrderId, cancellationToken) is { } order)
        {
            OrderTransitions.StockReserved(Db, order, time.GetUtcNow(), options.CurrentValue.PaymentDeadline);
        }
    }
}
