using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>The products service could not hold the order's stock: the order is cancelled, naming the products short.</summary>
public sealed class StockRejectedConsumer : InboxConsumer<OrdersDbContext, StockRejected>
{
    private readonly OrdersDbContext _db;
    private readonly TimeProvider _time;

    public StockRejectedConsumer(OrdersDbContext db, TimeProvider time) : base(db)
    {
        _db = db;
        _time = time;
    }

    protected override async Task HandleAsync(StockRejected message, ConsumeContext<StockRejected> context, CancellationToken cancellationToken)
    {
        if (await _db.LockOrderAsync(message.OrderId, cancellationToken) is { } order)
        {
            OrderTransitions.StockRejected(_db, order, message.ProductIds ?? [], message.Reason ?? "", _time.GetUtcNow());
        }
    }
}
