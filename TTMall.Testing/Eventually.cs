using System.Diagnostics;

namespace TTMall.Testing;

/// <summary>Polling with a deadline, for things that happen within a time rather than at once.</summary>
public static class Eventually
{
    /// <summary>How long a write to one discovery peer may take to reach the other.</summary>
    public static readonly TimeSpan Replication = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> holds; returns how long that took.</summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="within"/>; the message says what and why.</exception>
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what, Func<string>? diagnostics = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (await condition())
            {
                return Stopwatch.GetElapsedTime(started);
            }

            if (Stopwatch.GetElapsedTime(started) > within)
            {
                throw new TimeoutException($"Not within {within.TotalSeconds:0.###} s: {what}.{(diagnostics is null ? "" : "\n" + diagnostics())}");
            }

            await Task.Delay(PollEvery);
        }
    }

    public static Task<TimeSpan> HoldsAsync(Func<bool> condition, TimeSpan within, string what, Func<string>? diagnostics = null) =>
        HoldsAsync(() => Task.FromResult(condition()), within, what, diagnostics);

    /// <summary>Waits until <paramref name="find"/> returns something; returns it.</summary>
    public static async Task<T> FoundAsync<T>(Func<Task<T?>> find, TimeSpan within, string what, Func<string>? diagnostics = null) where T : class
    {
        T? found = null;
        await HoldsAsync(async () => (found = await find()) is not null, within, what, diagnostics);
        return found!;
    }

    /// <summary>Checks that <paramref name="condition"/> holds all the time for <paramref name="duration"/>.</summary>
    public static async Task StaysAsync(Func<Task<bool>> condition, TimeSpan duration, string what, Func<string>? diagnostics = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            if (!await condition())
            {
                throw new Xunit.Sdk.XunitException(
                    $"Stopped holding after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.###} s: {what}.{(diagnostics is null ? "" : "\n" + diagnostics())}");
            }

            await Task.Delay(PollEvery);
        }
    }
}
