using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>A payment attempt failed: the order keeps waiting for payment, with the reason for the shopper to see.</summary>
public sealed class PaymentFailedConsumer(OrdersDbContext db, TimeProvider time)
    : InboxConsumer<OrdersDbContext, PaymentFailed>(db)
{
    protected override async Task HandleAsync(PaymentFailed message, ConsumeContext<PaymentFailed> context, CancellationToken cancellationToken)
    {
        if (await Db.LockOrderAsync(message.OrderId, cancellationToken) is { } order)
        {
            OrderTransitions.PaymentFailed(order, message.Reason ?? "The payment failed.", time.GetUtcNow());
        }
    }
}
