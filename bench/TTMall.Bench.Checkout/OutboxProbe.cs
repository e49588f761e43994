namespace TTMall.Bench.Checkout;

/// <summary>The event the outbox latency is measured with; <paramref name="Number"/> tells the writes apart.</summary>
public sealed record OutboxProbe(Guid Run, long Number);
