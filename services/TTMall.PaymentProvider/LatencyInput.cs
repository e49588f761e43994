namespace TTMall.PaymentProvider;

/// <param name="Milliseconds">0 (off) to 60,000.</param>
public sealed record LatencyInput(int? Milliseconds);
