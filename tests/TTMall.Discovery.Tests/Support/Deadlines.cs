namespace TTMall.Discovery.Tests.Support;

/// <summary>
/// How long tests wait for what happens in the background. Deadlines, not pauses: a test goes on as soon as the thing
/// happens, so they leave plenty of room for a loaded 2-core machine, where a fresh process's first replication
/// includes its first JIT and perhaps a back-off, and a timer may fire seconds late.
/// </summary>
public static class Deadlines
{
    /// <summary>A write on one peer reaching the other.</summary>
    public static readonly TimeSpan Replication = TimeSpan.FromSeconds(30);

    /// <summary>An expired lease leaving the registry, or a rate limit letting registrations in again.</summary>
    public static readonly TimeSpan Background = TimeSpan.FromSeconds(30);
}
