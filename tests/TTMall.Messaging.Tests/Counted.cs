namespace TTMall.Messaging.Tests;

/// <summary>An event whose consumer only counts deliveries (no inbox), to see how often the relays published it.</summary>
public sealed record Counted(Guid Run, int Number);
