using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>A payment for the order went through: it is paid, or, when it no longer can be, the payment is sent back.</summary>
public sealed class PaymentSucceededConsumer : InboxConsumer<OrdersDbContext, PaymentSucceeded>
{
    private readonly OrdersDbContext _db;
    private readonly TimeProvider _time;

    public PaymentSucceededConsumer(OrdersDbContext db, TimeProvider time) : base(db)
    {
        _db = db;
        _time = time;
    }

    protected override async Task HandleAsync(PaymentSucceeded message, ConsumeContext<PaymentSucceeded> context, CancellationToken cancellationToken)
    {
        if (await _db.LockOrderAsync(message.OrderId, cancellationToken) is { } order)
        {
            OrderTransitions.PaymentSucceeded(_db, order, message.PaymentId, message.Amount, _time.GetUtcNow());
        }
        else
        {
            // Money for an order orders never had: it goes back.
            OrderEvents.RefundRequested(_db, message.PaymentId, message.OrderId, "There is no such order.");
        }
    }
}
