namespace TTMall.Products.Data;

/// <summary>Units of one product held for an order.</summary>
public sealed record HeldStock(int ProductId, int Quantity);
