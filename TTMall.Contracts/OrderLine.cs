namespace TTMall.Contracts;

/// <summary>One product of an order: how many, at the price the order was placed at (CNY).</summary>
public sealed record OrderLine(int ProductId, string Name, int Quantity, decimal UnitPrice);
