namespace TTMall.Contracts;

/// <summary>Every line of the order is reserved; the order may be paid.</summary>
public sealed record StockReserved(Guid OrderId);
