using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>A payment attempt failed: the order keeps waiting for payment, with the reason for the shopper to see.</summary>
public sealed class PaymentFailedConsumer : InboxConsumer<OrdersDbContext, PaymentFailed>
{
    private readonly OrdersDbContext _db;
    private readonly TimeProvider _time;

    public PaymentFailedConsumer(OrdersDbContext db, TimeProvider time) : base(db)
    {
        _db = db;
        _time = time;
    }

    protected override async Task HandleAsync(PaymentFailed message, ConsumeContext<PaymentFailed> context, CancellationToken cancellationToken)
    {
        if (await _db.LockOrderAsync(message.OrderId, cancellationToken) is { } order)
        {
            OrderTransitions.PaymentFailed(order, message.Reason ?? "The payment failed.", _time.GetUtcNow());
        }
    }
}
