namespace TTMall.Carts;

/// <summary>One product in the cart.</summary>
/// <param name="Name">Null when the product is unavailable.</param>
/// <param name="UnitPrice">The product's price now, in CNY; null when the product is unavailable.</param>
/// <param name="LineTotal">UnitPrice × Quantity, in CNY; null when the product is unavailable.</param>
public sealed record CartLine(
    int ProductId, string? Name, string? ImageUrl, decimal? UnitPrice, int Quantity, decimal? LineTotal, CartLineStatus Status, DateTimeOffset AddedAt);
