namespace TTMall.Bench.Checkout;

/// <summary>What one timed phase of checkouts measured.</summary>
/// <param name="CommitsPerCheckout">Postgres commits in the mall's databases during the phase, less the services' background commits, per checkout.</param>
public sealed record Phase(
    int Shoppers, int Checkouts, IReadOnlyList<string> Failures, TimeSpan Elapsed, Percentiles Latency, double CommitsPerCheckout, double IdleCommitsPerSecond, CpuUse Cpu)
{
    public double PerSecond => Checkouts / Elapsed.TotalSeconds;
}
