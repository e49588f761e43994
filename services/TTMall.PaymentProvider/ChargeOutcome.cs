namespace TTMall.PaymentProvider;

/// <summary>What became of a charge request.</summary>
public abstract record ChargeOutcome
{
    /// <summary>Recorded (succeeded or failed), now or, when <paramref name="Repeated"/>, by the first request with the key.</summary>
    public sealed record Recorded(ChargeDto Charge, bool Repeated) : ChargeOutcome;

    /// <summary>A transient failure: nothing was charged and the key is still free; the same request may be sent again.</summary>
    public sealed record TryAgain : ChargeOutcome;

    /// <summary>The key was used before for a different request; nothing was done.</summary>
    public sealed record KeyReused : ChargeOutcome;
}
