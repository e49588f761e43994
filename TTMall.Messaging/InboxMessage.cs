namespace TTMall.Messaging;

/// <summary>A message a consumer has handled, written in the transaction of its effect; kept <see cref="OutboxRelay{TContext}.InboxRetention"/>.</summary>
public sealed class InboxMessage
{
    public const int MaxConsumerLength = 256;

    /// <summary>The consumer's type: two consumers of one message each handle it once.</summary>
    public required string Consumer { get; init; }

    public required Guid MessageId { get; init; }

    public required DateTimeOffset ProcessedAt { get; init; }
}
