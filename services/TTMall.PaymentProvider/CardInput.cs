namespace TTMall.PaymentProvider;

/// <param name="Number">12 to 19 digits, spaces between groups allowed.</param>
/// <param name="Expiry">MM/YY, this month or later.</param>
/// <param name="Cvc">3 or 4 digits.</param>
public sealed record CardInput(string? Number, string? Expiry, string? Cvc)
{
    /// <summary>A record prints every member by default; card data must never reach a log through a formatted input.</summary>
    public override string ToString() => "card (redacted)";
}
