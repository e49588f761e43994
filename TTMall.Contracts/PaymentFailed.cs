namespace TTMall.Contracts;

/// <summary>The payment provider refused the payment; nothing was charged.</summary>
public sealed record PaymentFailed(Guid PaymentId, Guid OrderId, Guid UserId, string Reason);
