namespace TTMall.Messaging;

/// <summary>
/// An event written with the change it announces, in the same transaction, and published by the relay once that
/// committed. Its <see cref="Id"/> is the message's MassTransit MessageId, so inboxes recognise a second delivery of it.
/// </summary>
public sealed class OutboxMessage
{
    public const int MaxTypeLength = 256;

    public required Guid Id { get; init; }

    /// <summary>The order events were written in (a database sequence): the relay publishes in this order.</summary>
    public long Position { get; init; }

    /// <summary>The event's .NET type, "Namespace.Name, Assembly", to read <see cref="Body"/> back as.</summary>
    public required string Type { get; init; }

    /// <summary>The event as JSON.</summary>
    public required string Body { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The W3C traceparent of the activity that wrote the event, so publishing it continues that trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>When the broker confirmed it; null until then. Sent rows are deleted after <see cref="OutboxRelay{TContext}.SentRetention"/>.</summary>
    public DateTimeOffset? SentAt { get; set; }
}
