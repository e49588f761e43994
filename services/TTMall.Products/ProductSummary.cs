namespace TTMall.Products;

/// <summary>A product in a list or search result.</summary>
public sealed record ProductSummary(
    int Id, string Name, string Description, decimal Price, int Stock, string ImageUrl,
    int CategoryId, string CategoryName, int BrandId, string BrandName, decimal RatingAverage, int ReviewCount, DateTimeOffset CreatedAt);
