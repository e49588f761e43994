namespace TTMall.Contracts;

/// <summary>A payment succeeded for an order that no longer awaits payment (cancelled meanwhile, or paid by another payment): it is to be refunded.</summary>
public sealed record PaymentRefundRequested(Guid PaymentId, Guid OrderId, string Reason);
