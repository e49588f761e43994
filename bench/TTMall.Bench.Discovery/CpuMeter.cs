using System.Diagnostics;
using System.Globalization;

namespace TTMall.Bench.Discovery;

/// <summary>
/// Cores busy during a run: the server's, wrk's, and whatever else ran on the machine meanwhile (other people's
/// builds and tests on a shared machine: when that is large, the figures are disturbed).
/// </summary>
public sealed record CpuUse(double ServerCores, double WrkCores, double MachineCores)
{
    public double OtherCores => Math.Max(0, MachineCores - ServerCores - (double.IsNaN(WrkCores) ? 0 : WrkCores));

    public override string ToString() =>
        $"server {ServerCores:F2}, wrk {WrkCores:F2}, other processes {OtherCores:F2} cores of {Environment.ProcessorCount}";
}

/// <summary>Measures <see cref="CpuUse"/> between Start and Stop, from the server's CPU time and /proc/stat.</summary>
public sealed class CpuMeter(ChildProcess server)
{
    public Sample Start() => new(Stopwatch.GetTimestamp(), server.CpuTime, MachineTicks());

    public CpuUse Stop(Sample start, double wrkCores)
    {
        var elapsed = Stopwatch.GetElapsedTime(start.At);
        var serverCores = (server.CpuTime - start.ServerCpu).TotalSeconds / elapsed.TotalSeconds;
        var (busy, total) = MachineTicks();
        var machineCores = total > start.Machine.Total
            ? (double)(busy - start.Machine.Busy) / (total - start.Machine.Total) * Environment.ProcessorCount
            : double.NaN;
        return new CpuUse(serverCores, wrkCores, machineCores);
    }

    public sealed record Sample(long At, TimeSpan ServerCpu, (long Busy, long Total) Machine);

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
