namespace TTMall.Products;

/// <summary><c>Products:*</c>: the settings of the products service.</summary>
public sealed class ProductsOptions
{
    public const string Section = "Products";

    /// <summary>
    /// How long each replica reuses a product's details (<see cref="ProductDetails"/>). A change made through a replica
    /// is forgotten there at once, and a price change everywhere on its event; this bounds what else another replica
    /// may show late (a rating, stock) and a price change whose event a replica missed.
    /// </summary>
    public TimeSpan ProductDetailsLifetime { get; set; } = TimeSpan.FromSeconds(2);
}
