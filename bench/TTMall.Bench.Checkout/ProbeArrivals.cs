using System.Collections.Concurrent;
using System.Diagnostics;

namespace TTMall.Bench.Checkout;

/// <summary>When each probe was committed by its writer and when the consumer got it, on this process's one clock.</summary>
public sealed class ProbeArrivals
{
    private readonly ConcurrentDictionary<long, long> _committed = new();
    private readonly ConcurrentDictionary<long, long> _consumed = new();

    public int Committed => _committed.Count;

    public int Consumed => _consumed.Count;

    public void CommittedNow(long number) => _committed[number] = Stopwatch.GetTimestamp();

    /// <summary>The first delivery counts; a redelivery after a retry does not move it.</summary>
    public void ConsumedNow(long number) => _consumed.TryAdd(number, Stopwatch.GetTimestamp());

    /// <summary>consumed − committed of every probe that arrived.</summary>
    public IReadOnlyList<TimeSpan> Latencies() =>
        [.. _committed.Where(c => _consumed.ContainsKey(c.Key)).Select(c => Stopwatch.GetElapsedTime(c.Value, _consumed[c.Key]))];
}
