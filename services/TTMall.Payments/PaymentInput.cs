namespace TTMall.Payments;

/// <param name="OrderId">The order to pay: one of the signed-in shopper's, awaiting payment.</param>
/// <param name="Card">The card to charge; only its last four digits are kept.</param>
public sealed record PaymentInput(Guid? OrderId, CardInput? Card);
