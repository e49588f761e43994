namespace TTMall.Orders;

/// <summary><c>Orders:*</c> settings.</summary>
public sealed class OrdersOptions
{
    public const string Section = "Orders";

    /// <summary>How long a shopper has to pay once the stock is reserved; the stock is held for nobody else meanwhile.</summary>
    public TimeSpan PaymentDeadline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often each replica looks for orders past their payment deadline.</summary>
    public TimeSpan DeadlineScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal bool IsValid() => PaymentDeadline > TimeSpan.Zero && DeadlineScanInterval > TimeSpan.Zero;
}
