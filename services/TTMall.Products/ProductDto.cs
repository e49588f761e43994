using TTMall.Products.Data;

namespace TTMall.Products;

/// <summary>
/// A product as GET /api/products/{id} returns it. The carts and orders services rely on id, name, price (yuan,
/// exact decimal), stock and imageUrl: keep those names and types. ratingAverage is 0 while reviewCount is 0.
/// </summary>
public sealed record ProductDto(
    int Id, string Name, string Description, decimal Price, int Stock, string ImageUrl, IReadOnlyList<string> Images,
    int CategoryId, string CategorySlug, string CategoryName, int BrandId, string BrandName, IReadOnlyList<ProductSpec> Specs,
    decimal RatingAverage, int ReviewCount, DateTimeOffset CreatedAt);
