namespace TTMall.Orders;

/// <param name="UnitPrice">CNY, the product's price when the order was placed.</param>
/// <param name="LineTotal">UnitPrice × Quantity, CNY.</param>
public sealed record OrderLineDto(int ProductId, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);
