namespace TTMall.PaymentProvider.Data;

/// <summary>
/// The sandbox's switches, one row. Kept in the database rather than in the process so that every replica of the
/// provider, and a restarted one, behaves alike.
/// </summary>
public sealed class SandboxSettings
{
    public const int TheRow = 1;

    public int Id { get; init; }

    /// <summary>How long every charge or refund waits after it was recorded and before it is answered; 0 is off.</summary>
    public int LatencyMilliseconds { get; set; }
}
