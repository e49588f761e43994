namespace TTMall.Data.Idempotency;

/// <summary>What became of a write done at most once per key.</summary>
public abstract record IdempotentWrite<T>
{
    /// <param name="Result">The write's result: this request's, or, when <paramref name="Repeated"/>, the first one's.</param>
    public sealed record Done(T Result, bool Repeated) : IdempotentWrite<T>;

    /// <summary>The key was already used for a different request; nothing was done.</summary>
    public sealed record KeyReused : IdempotentWrite<T>;
}
