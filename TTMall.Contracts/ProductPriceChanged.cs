namespace TTMall.Contracts;

/// <summary>A product's price changed (CNY).</summary>
public sealed record ProductPriceChanged(int ProductId, decimal OldPrice, decimal NewPrice, DateTimeOffset ChangedAt);
