using System.Diagnostics;
using System.Globalization;

namespace TTMall.Bench.Products;

/// <summary>
/// Cores busy during a run: the service's, wrk's, Postgres's, and whatever else ran meanwhile (other people's
/// builds and tests on a shared machine: when that is large, the latencies say more about them than about us).
/// </summary>
public sealed record CpuUse(double ServiceCores, double WrkCores, double PostgresCores, double MachineCores)
{
    /// <summary>Above this, the summary calls a run disturbed.</summary>
    public const double DisturbedAbove = 0.2;

    public double OtherCores => Math.Max(0, MachineCores - ServiceCores - WrkCores - PostgresCores);

    public bool Disturbed => OtherCores > DisturbedAbove;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"service {ServiceCores:F2}, Postgres {PostgresCores:F2}, wrk {WrkCores:F2}, others {OtherCores:F2}");
}

/// <summary>
/// Measures <see cref="CpuUse"/> between two samples of /proc: per process (utime + stime of /proc/PID/stat) for
/// the service, wrk and Postgres, and for the whole machine from /proc/stat. Both samples are taken while wrk
/// still runs: the CPU time of a process that has exited can no longer be read.
/// </summary>
public sealed class CpuMeter(int servicePid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux we run on.

    public Sample Take() => new(Stopwatch.GetTimestamp(), Processes(), MachineTicks());

    public CpuUse Between(Sample start, Sample end)
    {
        var seconds = Stopwatch.GetElapsedTime(start.At, end.At).TotalSeconds;
        double Cores(Func<ProcessTicks, bool> which) =>
            end.Processes.Where(which).Sum(p => p.Ticks - (start.Processes.FirstOrDefault(s => s.Pid == p.Pid)?.Ticks ?? 0)) / TicksPerSecond / seconds;

        var machine = end.Machine.Total > start.Machine.Total
            ? (double)(end.Machine.Busy - start.Machine.Busy) / (end.Machine.Total - start.Machine.Total) * Environment.ProcessorCount
            : double.NaN;
        return new CpuUse(
            Cores(p => p.Pid == servicePid),
            Cores(p => p.Name == "wrk"),
            Cores(p => p.Name == "postgres"),
            machine);
    }

    public sealed record Sample(long At, IReadOnlyList<ProcessTicks> Processes, (long Busy, long Total) Machine);

    public sealed record ProcessTicks(int Pid, string Name, long Ticks);

    private static List<ProcessTicks> Processes()
    {
        var processes = new List<ProcessTicks>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid ..." where comm may hold spaces: the fields after the last ')' are fixed.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                processes.Add(new ProcessTicks(pid, stat[(open + 1)..close], ticks));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // Gone meanwhile.
            }
        }

        return processes;
    }

    /// <summary>The first line of /proc/stat: user nice system idle iowait irq softirq steal, in clock ticks.</summary>
    private static (long Busy, long Total) MachineTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First()
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Skip(1).Take(8)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture))
                .ToArray();
            var idle = fields[3] + fields[4];
            var total = fields.Sum();
            return (total - idle, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (0, 0);
        }
    }
}
