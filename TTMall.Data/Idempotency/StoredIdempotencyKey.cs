namespace TTMall.Data.Idempotency;

/// <summary>A key a write was done under, with its result, kept <see cref="IdempotencyKeys.Retention"/> to answer repeats.</summary>
public sealed class StoredIdempotencyKey
{
    public const int MaxOwnerLength = 64;

    public required string Owner { get; init; }
    public required string Key { get; init; }

    /// <summary>SHA-256 of the request's operation and body, hex.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The first result, JSON; written in the same transaction as the effect, so a committed key always has one.</summary>
    public string? Result { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
