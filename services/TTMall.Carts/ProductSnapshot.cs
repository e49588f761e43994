namespace TTMall.Carts;

/// <summary>A product as the products service described it: the only source of names, prices and stock.</summary>
/// <param name="Price">CNY, exact (decimal).</param>
/// <param name="Stock">null when the products service did not say.</param>
public sealed record ProductSnapshot(int Id, string Name, decimal Price, int? Stock, string? ImageUrl);
