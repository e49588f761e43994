namespace TTMall.Bench;

/// <summary>The benchmark cannot go on; the message says why and, where it can, what to do about it.</summary>
public sealed class BenchException(string message) : Exception(message);
