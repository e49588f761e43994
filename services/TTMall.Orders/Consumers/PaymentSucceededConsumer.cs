using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>A payment for the order went through: it is paid, or, when it no longer can be, the payment is sent back.</summary>
public sealed class PaymentSucceededConsumer(OrdersDbContext db, TimeProvider time)
    : InboxConsumer<OrdersDbContext, PaymentSucceeded>(db)
{
    protected override async Task HandleAsync(PaymentSucceeded message, ConsumeContext<PaymentSucceeded> context, CancellationToken cancellationToken)
    {
        if (await Db.LockOrderAsync(message.OrderId, cancellationToken) is { } order)
        {
            OrderTransitions.PaymentSucceeded(Db, order, message.PaymentId, message.Amount, time.GetUtcNow());
        }
        else
        {
            // Money for an order orders never had: it goes back.
            OrderEvents.RefundRequested(Db, message.PaymentId, message.OrderId, "There is no such order.");
        }
    }
}
