using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Products.Data;

namespace TTMall.Products.Stock;

/// <summary>An order was cancelled: give back what was held for it, if anything.</summary>
public sealed class OrderCancelledConsumer(ProductsDbContext db, StockKeeper stock) : InboxConsumer<ProductsDbContext, OrderCancelled>(db)
{
    protected override Task HandleAsync(OrderCancelled message, ConsumeContext<OrderCancelled> context, CancellationToken cancellationToken) =>
        stock.ReleaseAsync(message, cancellationToken);

    protected override void Committed(OrderCancelled message) => stock.ForgetChanged();
}
