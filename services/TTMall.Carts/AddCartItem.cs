using System.ComponentModel;

namespace TTMall.Carts;

/// <summary>Puts a product into the cart. There is no price here: prices come from the products service only.</summary>
public sealed record AddCartItem(
    [property: Description("The product's id.")] int ProductId,
    [property: Description("How many to add to the line (1–99); the line holds at most 99.")] int Quantity);
