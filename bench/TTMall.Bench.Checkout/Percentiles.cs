namespace TTMall.Bench.Checkout;

/// <summary>The p50, p99 and maximum of a set of durations (nearest rank).</summary>
public sealed record Percentiles(TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public static Percentiles Of(IReadOnlyCollection<TimeSpan> times)
    {
        if (times.Count == 0)
        {
            return new Percentiles(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }

        var sorted = times.Order().ToArray();
        TimeSpan At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(At(0.50), At(0.99), sorted[^1]);
    }
}
