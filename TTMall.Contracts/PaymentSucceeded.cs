namespace TTMall.Contracts;

/// <summary>The payment provider charged the payment.</summary>
public sealed record PaymentSucceeded(Guid PaymentId, Guid OrderId, Guid UserId, decimal Amount);
