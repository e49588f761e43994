using MassTransit;
using TTMall.Contracts;

namespace TTMall.Products;

/// <summary>
/// A product's price changed, on this replica or another: this replica forgets its copy of the product, so the next
/// read serves the new price. Each replica has a queue of its own for it (see
/// <see cref="ProductsServiceExtensions.AddProductsService"/>). Forgetting twice, or late, is harmless, so it needs no inbox.
/// </summary>
public sealed class ProductPriceChangedConsumer(ProductDetails details) : IConsumer<ProductPriceChanged>
{
    public Task Consume(ConsumeContext<ProductPriceChanged> context)
    {
        details.Forget(context.Message.ProductId);
        return Task.CompletedTask;
    }
}
