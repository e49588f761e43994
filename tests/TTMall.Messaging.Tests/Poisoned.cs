namespace TTMall.Messaging.Tests;

/// <summary>An event whose consumer always fails.</summary>
public sealed record Poisoned(Guid Run);
