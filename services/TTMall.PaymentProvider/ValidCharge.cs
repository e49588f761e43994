namespace TTMall.PaymentProvider;

/// <summary>A charge request that passed every check.</summary>
public sealed record ValidCharge(decimal Amount, string Currency, CardNumber Card, string Expiry, string Cvc, string Reference)
{
    public override string ToString() => $"{Amount} {Currency} on {Card} for {Reference}";
}
