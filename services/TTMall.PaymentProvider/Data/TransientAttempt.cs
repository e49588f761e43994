namespace TTMall.PaymentProvider.Data;

/// <summary>
/// How often a charge with the "fails twice, then succeeds" test card was tried under one Idempotency-Key. Counted
/// apart from the key's stored result: a transient failure must leave the key free, so that the retry is processed.
/// </summary>
public sealed class TransientAttempt
{
    public required string Owner { get; init; }
    public required string Key { get; init; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
