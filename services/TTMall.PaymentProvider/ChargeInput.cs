namespace TTMall.PaymentProvider;

/// <param name="Amount">More than 0, at most 2 decimals.</param>
/// <param name="Currency">CNY, the only currency of this network.</param>
/// <param name="Reference">The caller's name for what is paid, such as an order id (1 to 200 characters).</param>
public sealed record ChargeInput(decimal? Amount, string? Currency, CardInput? Card, string? Reference);
