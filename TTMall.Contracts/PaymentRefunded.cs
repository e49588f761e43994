namespace TTMall.Contracts;

/// <summary>The payment was refunded in full.</summary>
public sealed record PaymentRefunded(Guid PaymentId, Guid OrderId, decimal Amount);
