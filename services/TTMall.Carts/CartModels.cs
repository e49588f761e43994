using System.ComponentModel;
using System.Text.Json.Serialization;

namespace TTMall.Carts;

/// <summary>The caller's cart, priced with the products service's current prices.</summary>
/// <param name="Lines">Oldest first.</param>
/// <param name="ItemCount">Pieces in the cart, every line counted.</param>
/// <param name="Total">Sum of the line totals of the lines that have a price (not <c>unavailable</c> ones), in CNY.</param>
public sealed record Cart(IReadOnlyList<CartLine> Lines, int ItemCount, decimal Total, string Currency);

/// <summary>One product in the cart.</summary>
/// <param name="Name">Null when the product is unavailable.</param>
/// <param name="UnitPrice">The product's price now, in CNY; null when the product is unavailable.</param>
/// <param name="LineTotal">UnitPrice × Quantity, in CNY; null when the product is unavailable.</param>
public sealed record CartLine(
    int ProductId, string? Name, string? ImageUrl, decimal? UnitPrice, int Quantity, decimal? LineTotal, CartLineStatus Status, DateTimeOffset AddedAt);

[JsonConverter(typeof(JsonStringEnumConverter<CartLineStatus>))]
public enum CartLineStatus
{
    /// <summary>The product exists and its stock covers the line.</summary>
    [JsonStringEnumMemberName("available")]
    Available,

    /// <summary>The product exists but has less stock than the line holds (possibly none).</summary>
    [JsonStringEnumMemberName("insufficientStock")]
    InsufficientStock,

    /// <summary>The product no longer exists; the line has no price and counts toward no total.</summary>
    [JsonStringEnumMemberName("unavailable")]
    Unavailable,
}

/// <summary>Puts a product into the cart. There is no price here: prices come from the products service only.</summary>
public sealed record AddCartItem(
    [property: Description("The product's id.")] int ProductId,
    [property: Description("How many to add to the line (1–99); the line holds at most 99.")] int Quantity);

/// <summary>Sets how many of a product the cart holds.</summary>
public sealed record CartItemQuantity([property: Description("The line's new quantity (1–99); remove the line to drop it.")] int Quantity);
