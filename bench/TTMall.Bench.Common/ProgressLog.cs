using System.Diagnostics;
using System.Globalization;

namespace TTMall.Bench;

/// <summary>A benchmark's progress lines on the console, each stamped with the seconds since the log was made.</summary>
public sealed class ProgressLog
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Write(string message) =>
        Console.WriteLine($"[{_clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),6} s] {message}");
}
