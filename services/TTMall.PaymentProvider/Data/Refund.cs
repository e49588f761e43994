namespace TTMall.PaymentProvider.Data;

/// <summary>Money given back from a succeeded charge; a charge may have several, together at most its amount.</summary>
public sealed class Refund
{
    /// <summary><c>re_</c> and 24 random hex digits.</summary>
    public required string Id { get; init; }

    public required string ChargeId { get; init; }
    public required decimal Amount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
