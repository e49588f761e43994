namespace TTMall.PaymentProvider;

/// <param name="Charge">The id of a succeeded charge (ch_…).</param>
/// <param name="Amount">How much to give back, at most what is not yet refunded; without it, all of that.</param>
public sealed record RefundInput(string? Charge, decimal? Amount);
