namespace TTMall.Contracts;

/// <summary>The order is paid by the payment named.</summary>
public sealed record OrderPaid(Guid OrderId, Guid UserId, Guid PaymentId, decimal Total);
