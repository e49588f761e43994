namespace TTMall.PaymentProvider;

/// <summary>The numbers that make the sandbox behave in a known way, as a real provider's test mode documents them.</summary>
public static class TestCards
{
    /// <summary>Succeeds (as does any other valid number).</summary>
    public const string Succeeds = "4242424242424242";

    /// <summary>Declined: 402 with code <c>card_declined</c>, recorded as a failed charge.</summary>
    public const string Declined = "4000000000000002";

    /// <summary>
    /// Fails transiently (503, nothing charged) <see cref="TransientFailures"/> times per Idempotency-Key, then succeeds:
    /// the case of a caller that must retry with the same key.
    /// </summary>
    public const string FailsTwiceThenSucceeds = "4000000000000119";

    public const int TransientFailures = 2;

    public const string DeclinedCode = "card_declined";
}
