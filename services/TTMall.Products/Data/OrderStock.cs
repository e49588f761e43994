namespace TTMall.Products.Data;

/// <summary>
/// What products decided for one order's stock. One row per order (its id is the key), so a decision is made once:
/// a cancellation that arrives before the order is recorded as <see cref="OrderStockState.Released"/> with nothing
/// held, and the order, arriving late, is then not reserved.
/// </summary>
public sealed class OrderStock
{
    public Guid OrderId { get; set; }

    public OrderStockState State { get; set; }

    /// <summary>What is (or was) held for the order, by product, while <see cref="OrderStockState.Reserved"/>.</summary>
    public List<HeldStock> Held { get; set; } = [];

    public DateTimeOffset DecidedAt { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }
}
