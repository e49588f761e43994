namespace TTMall.Payments;

/// <param name="Number">13 to 19 digits, spaces allowed; test cards are listed in docs/CHECKOUT.md.</param>
/// <param name="Expiry">MM/YY, not in the past.</param>
/// <param name="Cvc">3 or 4 digits.</param>
public sealed record CardInput(string? Number, string? Expiry, string? Cvc);
