namespace TTMall.Bench.Checkout;

/// <summary>What one timed phase of checkouts measured.</summary>
/// <param name="Latency">Submit → Paid observed.</param>
/// <param name="Reserved">Submit → awaitingPayment observed (stock reserved), the first half of it.</param>
/// <param name="WritesPerCheckout">Writing transactions committed during the phase, less the services' background ones, per checkout.</param>
/// <param name="CommitsPerCheckout">The same for transactions of any kind in the mall's databases (xact_commit), read-only ones included.</param>
public sealed record Phase(
    int Shoppers, int Checkouts, IReadOnlyList<string> Failures, TimeSpan Elapsed, Percentiles Latency, Percentiles Reserved, double WritesPerCheckout, double CommitsPerCheckout, CpuUse Cpu)
{
    public double PerSecond => Checkouts / Elapsed.TotalSeconds;
}
