namespace TTMall.Messaging.Tests;

/// <summary>An event whose consumer records an <see cref="Effect"/> through the inbox; <paramref name="Run"/> tells one test's events from another's.</summary>
public sealed record Pinged(Guid Run, int Number);
