using MassTransit;
using Microsoft.Extensions.Options;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>The products service holds the order's stock: the shopper may pay now, until the deadline.</summary>
public sealed class StockReservedConsumer : InboxConsumer<OrdersDbContext, StockReserved>
{
    private readonly OrdersDbContext _db;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<OrdersOptions> _options;

    public StockReservedConsumer(OrdersDbContext db, TimeProvider time, IOptionsMonitor<OrdersOptions> options) : base(db)
    {
        _db = db;
        _time = time;
        _options = options;
    }

    protected override async Task HandleAsync(StockReserved message, ConsumeContext<StockReserved> context, CancellationToken cancellationToken)
    {
        if (await _db.LockOrderAsync(message.OrderId, cancellationToken) is { } order)
        {
            OrderTransitions.StockReserved(order, _time.GetUtcNow(), _options.CurrentValue.PaymentDeadline);
        }
    }
}
