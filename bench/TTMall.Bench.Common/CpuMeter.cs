using System.Diagnostics;
using System.Globalization;

namespace TTMall.Bench;

/// <summary>
/// Cores used during a run by each group of processes, and by everything else on the machine (this tool, the
/// databases, other people's builds and tests on a shared machine: when that is large, the figures are disturbed).
/// </summary>
/// <param name="Rest">What <see cref="ToString"/> calls everything else.</param>
public sealed record CpuUse(IReadOnlyList<(string Group, double Cores)> Groups, double MachineCores, string Rest = "rest")
{
    /// <summary>Above this, the summary calls a run disturbed.</summary>
    public const double DisturbedAbove = 0.2;

    /// <summary>Cores used by processes in no group; a group that could not be measured (NaN) counts as none.</summary>
    public double OtherCores => Math.Max(0, MachineCores - Groups.Where(g => !double.IsNaN(g.Cores)).Sum(g => g.Cores));

    public double Of(string group) => Groups.Where(g => g.Group == group).Sum(g => g.Cores);

    /// <summary>This with one more group, measured elsewhere (wrk's own cores, sampled before it ended).</summary>
    public CpuUse With(string group, double cores) => this with { Groups = [.. Groups, (group, cores)] };

    public override string ToString() =>
        string.Join(", ", Groups.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Group} {g.Cores:F2}")))
        + string.Create(CultureInfo.InvariantCulture, $", {Rest} {OtherCores:F2}");
}

/// <summary>
/// Measures <see cref="CpuUse"/> between two samples of /proc: utime + stime of /proc/PID/stat per process, and the
/// machine's busy time from /proc/stat. A group is the processes a predicate picks (by pid or by name). A process
/// that has exited can no longer be read: to count one, take both samples while it runs.
/// </summary>
/// <param name="rest">What the <see cref="CpuUse"/> calls the processes in no group.</param>
public sealed class CpuMeter(IReadOnlyList<(string Group, Func<int, string, bool> Member)> groups, string rest = "rest")
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux we run on.

    public Sample Take() => new(Stopwatch.GetTimestamp(), Processes(), MachineTicks());

    public CpuUse Between(Sample start, Sample end)
    {
        var seconds = Stopwatch.GetElapsedTime(start.At, end.At).TotalSeconds;
        double Cores(Func<int, string, bool> member) =>
            end.Processes.Where(p => member(p.Pid, p.Name))
                .Sum(p => p.Ticks - (start.Processes.FirstOrDefault(s => s.Pid == p.Pid)?.Ticks ?? 0)) / TicksPerSecond / seconds;

        var machine = end.Machine.Total > start.Machine.Total
            ? (double)(end.Machine.Busy - start.Machine.Busy) / (end.Machine.Total - start.Machine.Total) * Environment.ProcessorCount
            : double.NaN;
        return new CpuUse([.. groups.Select(g => (g.Group, Cores(g.Member)))], machine, rest);
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
            return (fields.Sum() - idle, fields.Sum());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (0, 0);
        }
    }
}
