using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>The products service could not hold the order's stock: the order is cancelled, naming the products short.</summary>
public sealed class StockRejectedConsumer(OrdersDbContext db, TimeProvider time)
    : InboxConsumer<OrdersDbContext, StockRejected>(db)
{
    protected override async Task HandleAsync(StockRejected message, ConsumeContext<StockRejected> context, CancellationToken cancellationToken)
    {
        if (await Db.LockOrderAsync(message.OrderId, cancellationToken) is { } order)
        {
            OrderTransitions.StockRejected(Db, order, message.ProductIds ?? [], message.Reason ?? "", time.GetUtcNow());
        }
    }
}
