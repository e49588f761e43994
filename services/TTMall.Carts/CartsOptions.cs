namespace TTMall.Carts;

/// <summary><c>Carts:*</c> settings.</summary>
public sealed class CartsOptions
{
    public const string Section = "Carts";

    /// <summary>
    /// How long a product read from the products service is reused for cart reads in this process. Short, so a
    /// price change shows within seconds; long enough that a busy product is fetched once per period, not once per
    /// cart read. Adding and changing quantities always read the product afresh (stock).
    /// </summary>
    public TimeSpan ProductSnapshotLifetime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A cart nobody has changed for this long is dropped by Redis, so abandoned carts do not pile up.</summary>
    public TimeSpan CartLifetime { get; set; } = TimeSpan.FromDays(30);
}
