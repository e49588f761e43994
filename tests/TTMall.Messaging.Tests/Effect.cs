namespace TTMall.Messaging.Tests;

/// <summary>What a consumer did for one delivery it handled, with the trace it handled it in.</summary>
public sealed class Effect
{
    public long Id { get; init; }
    public required Guid Run { get; init; }
    public required int Number { get; init; }
    public required Guid MessageId { get; init; }
    public string? TraceId { get; init; }
}
