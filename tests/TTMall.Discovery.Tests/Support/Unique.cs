namespace TTMall.Discovery.Tests.Support;

/// <summary>Names no other test uses, so tests can share one server.</summary>
public static class Unique
{
    private static int _counter;

    /// <summary>An application name, already upper case as the server stores it.</summary>
    public static string App(string prefix = "APP") => $"{prefix}-{Next()}".ToUpperInvariant();

    public static string Id(string prefix = "inst") => $"{prefix}-{Next()}";

    private static string Next() => $"{Interlocked.Increment(ref _counter)}{Guid.NewGuid():N}"[..10];
}
