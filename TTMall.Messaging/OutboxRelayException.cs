namespace TTMall.Messaging;

/// <summary>The broker did not take an event from the outbox; it waits there for the relay's next try.</summary>
public sealed class OutboxRelayException(Exception inner) : Exception($"Publishing from the outbox failed: {inner.Message}", inner);
