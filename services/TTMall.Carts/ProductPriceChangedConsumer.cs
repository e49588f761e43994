using MassTransit;
using TTMall.Contracts;

namespace TTMall.Carts;

/// <summary>
/// A product's price changed: this replica forgets its snapshot of it, so the next cart read shows the new price
/// instead of the old one for up to <see cref="CartsOptions.ProductSnapshotLifetime"/>. Every replica has its own
/// snapshots, so every replica must get the event: this consumer has a queue per replica (see
/// <see cref="CartsServiceExtensions.AddCartsService"/>). Forgetting twice, or late, is harmless.
/// </summary>
public sealed class ProductPriceChangedConsumer(ProductCatalog catalog) : IConsumer<ProductPriceChanged>
{
    public Task Consume(ConsumeContext<ProductPriceChanged> context)
    {
        catalog.Forget(context.Message.ProductId);
        return Task.CompletedTask;
    }
}
