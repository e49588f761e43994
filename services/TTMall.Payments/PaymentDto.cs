using TTMall.Payments.Data;

namespace TTMall.Payments;

/// <param name="Status">pending (the provider's answer is not known yet; it is asked again), succeeded, failed, refunded.</param>
public sealed record PaymentDto(
    Guid Id, Guid OrderId, decimal Amount, string Status, string CardLast4, string? FailureReason,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, DateTimeOffset? RefundedAt)
{
    public static PaymentDto From(Payment payment) => new(
        payment.Id, payment.OrderId, payment.Amount, payment.Status.ToString().ToLowerInvariant(), payment.CardLast4,
        payment.FailureReason, payment.CreatedAt, payment.CompletedAt, payment.RefundedAt);
}
