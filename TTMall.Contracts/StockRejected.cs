namespace TTMall.Contracts;

/// <summary>The order could not be reserved: ProductIds names the products that were short or gone; nothing is reserved.</summary>
public sealed record StockRejected(Guid OrderId, IReadOnlyList<int> ProductIds, string Reason);
