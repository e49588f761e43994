using Microsoft.Extensions.Options;
using TTMall.Eureka;

namespace TTMall.Discovery.Registry;

/// <summary>
/// The recent changes the delta is made of: each changed instance once, in its latest state, kept for
/// DeltaRetentionSeconds and, together as JSON, at most MaxDeltaBytes. Not thread-safe: <see cref="InstanceRegistry"/>
/// uses it under its lock.
/// </summary>
internal sealed class DeltaJournal(IOptions<DiscoveryOptions> options)
{
    private readonly Dictionary<string, Change> _recent = new(StringComparer.Ordinal);
    private long _bytes;

    public void Record(Lease lease, ActionType action, long now)
    {
        var id = lease.Instance.InstanceId;
        Forget(id);
        // A removed instance is only news of its going: its metadata would cost every reader and tell it nothing.
        var change = lease.Snapshot() with
        {
            ActionType = action,
            Metadata = action == ActionType.DELETED ? new Dictionary<string, string>() : lease.Instance.Metadata,
        };
        var bytes = action == ActionType.DELETED ? EurekaJson.InstanceDocument(change).Length : lease.Bytes;
        _recent[id] = new Change(now, change, bytes);
        _bytes += bytes;
        var limit = options.Value.MaxDeltaBytes;
        if (_bytes > limit)
        {
            // A flood of changes: the oldest go, down to nine tenths, so this happens once in many changes.
            foreach (var oldest in _recent.OrderBy(r => r.Value.At).Select(r => r.Key).ToList())
            {
                if (_bytes <= limit * 9L / 10 || oldest == id)
                {
                    break;
                }

                Forget(oldest);
            }
        }
    }

    /// <summary>
    /// Forgets the changes past the retention window; returns the rest by application, and the moment the oldest of
    /// them ages out (when a delta made of them goes stale even if nothing changes).
    /// </summary>
    public (List<Application> Applications, long StaleAt) Current(long now)
    {
        var retention = options.Value.DeltaRetentionSeconds * 1000L;
        var cutoff = now - retention;
        foreach (var stale in _recent.Where(r => r.Value.At < cutoff).Select(r => r.Key).ToList())
        {
            Forget(stale);
        }

        var apps = _recent.Values
            .Select(r => r.Instance)
            .GroupBy(i => i.App, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Application(g.Key, [.. g]))
            .ToList();
        return (apps, _recent.Count == 0 ? long.MaxValue : _recent.Values.Min(r => r.At) + retention);
    }

    private void Forget(string id)
    {
        if (_recent.Remove(id, out var change))
        {
            _bytes -= change.Bytes;
        }
    }

    private sealed record Change(long At, InstanceInfo Instance, int Bytes);
}
