namespace TTMall.Discovery.Tests.Support;

/// <summary>What the registration rate limits (a token bucket refilled every second) can let through.</summary>
public static class RateBudget
{
    /// <summary>
    /// The most registrations a bucket of <paramref name="perSecond"/> can let through while a storm lasts
    /// <paramref name="lasted"/>: a full bucket, and one refill for each second boundary the storm may straddle, which on
    /// a busy machine can be several.
    /// </summary>
    public static int MostTokens(int perSecond, TimeSpan lasted) => perSecond * (2 + (int)lasted.TotalSeconds);
}
