namespace TTMall.Payments.Provider;

/// <summary>What the provider said about a charge.</summary>
public abstract record ChargeOutcome
{
    public sealed record Charged(string ChargeId) : ChargeOutcome;

    public sealed record Declined(string Reason) : ChargeOutcome;

    /// <summary>No answer that decides it (a timeout, a transient failure, the provider down): ask again with the same key.</summary>
    public sealed record Unknown(string Reason) : ChargeOutcome;
}
