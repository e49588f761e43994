namespace TTMall.Payments.Data;

public enum PaymentStatus
{
    /// <summary>Sent to the provider, answer not known yet (it timed out or failed transiently): asked again with the same key until it is.</summary>
    Pending,
    Succeeded,
    /// <summary>The provider declined the card; the order may be paid with another one.</summary>
    Failed,
    /// <summary>Succeeded, then given back (the order was cancelled after it was paid, or was paid twice).</summary>
    Refunded,
}
