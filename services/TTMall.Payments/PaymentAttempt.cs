using TTMall.Payments.Data;

namespace TTMall.Payments;

/// <summary>What became of a request to pay.</summary>
public abstract record PaymentAttempt
{
    /// <summary>The payment (new, or the one this Idempotency-Key made before), in whatever state it is now.</summary>
    public sealed record Made(Payment Payment) : PaymentAttempt;

    public sealed record NoSuchOrder : PaymentAttempt;

    public sealed record OrderNotPayable(string Status) : PaymentAttempt;

    /// <summary>Another payment of the order is pending or succeeded.</summary>
    public sealed record AlreadyPaying(PaymentStatus Status) : PaymentAttempt;

    public sealed record KeyReused : PaymentAttempt;
}
