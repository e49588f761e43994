namespace TTMall.Payments.Data;

/// <summary>
/// One attempt to pay an order with a card. Its id is the Idempotency-Key sent to the provider, so asking the provider
/// again about a payment whose answer was lost never charges twice; the database allows one payment per order that is
/// pending, succeeded or refunded, so an order is charged at most once whatever the shoppers send.
/// </summary>
public sealed class Payment
{
    public const int MaxIdempotencyKeyLength = 200;
    public const int MaxReasonLength = 500;

    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public Guid UserId { get; set; }

    /// <summary>The shopper's Idempotency-Key: a repeat of the request is answered with this payment.</summary>
    public required string IdempotencyKey { get; set; }

    /// <summary>SHA-256 of what the request asked for (order and card), so the same key with another request is refused.</summary>
    public required string RequestFingerprint { get; set; }

    public decimal Amount { get; set; }
    public PaymentStatus Status { get; set; }

    /// <summary>The card's last four digits: all of the card that is kept.</summary>
    public required string CardLast4 { get; set; }

    public string? ProviderChargeId { get; set; }
    public string? ProviderRefundId { get; set; }
    public string? FailureReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? RefundedAt { get; set; }

    /// <summary>How many times the provider has been asked; for the back-off of pending payments.</summary>
    public int Attempts { get; set; }
}
