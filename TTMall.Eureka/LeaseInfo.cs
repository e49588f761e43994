namespace TTMall.Eureka;

/// <summary>Lease terms and times (milliseconds since the Unix epoch; 0 when not set).</summary>
public sealed record LeaseInfo
{
    public const int DefaultRenewalIntervalInSecs = 30;
    public const int DefaultDurationInSecs = 90;

    public int RenewalIntervalInSecs { get; init; } = DefaultRenewalIntervalInSecs;
    public int DurationInSecs { get; init; } = DefaultDurationInSecs;
    public long RegistrationTimestamp { get; init; }
    public long LastRenewalTimestamp { get; init; }
    public long EvictionTimestamp { get; init; }
    public long ServiceUpTimestamp { get; init; }
}
