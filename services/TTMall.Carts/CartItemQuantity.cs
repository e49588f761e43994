using System.ComponentModel;

namespace TTMall.Carts;

/// <summary>Sets how many of a product the cart holds.</summary>
public sealed record CartItemQuantity([property: Description("The line's new quantity (1–99); remove the line to drop it.")] int Quantity);
