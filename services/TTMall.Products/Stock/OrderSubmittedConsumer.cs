using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Products.Data;

namespace TTMall.Products.Stock;

/// <summary>An order was placed: reserve its stock (all lines or none) and say which it was.</summary>
public sealed class OrderSubmittedConsumer(ProductsDbContext db, StockKeeper stock) : InboxConsumer<ProductsDbContext, OrderSubmitted>(db)
{
    protected override Task HandleAsync(OrderSubmitted message, ConsumeContext<OrderSubmitted> context, CancellationToken cancellationToken) =>
        stock.ReserveAsync(message, cancellationToken);

    protected override void Committed(OrderSubmitted message) => stock.ForgetChanged();
}
