using System.IO.Compression;
using Microsoft.Extensions.Options;
using TTMall.Eureka;

namespace TTMall.Discovery.Registry;

public enum RegisterOutcome { Registered, Invalid, Full }

/// <summary>What became of a registration, and why when it was refused.</summary>
public sealed record RegisterResult(RegisterOutcome Outcome, string? Reason = null)
{
    public static RegisterResult Registered { get; } = new(RegisterOutcome.Registered);
}

public enum MetadataOutcome { Updated, NotFound, Invalid }

public enum RenewOutcome { Renewed, NotFound, Conflict }

/// <summary>A registry document ready to send: its JSON, and the same gzipped for clients that ask for it.</summary>
public sealed class RegistryDocument(byte[] json)
{
    private readonly Lazy<byte[]> _gzip = new(() =>
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(json);
        }

        return buffer.ToArray();
    });

    public byte[] Json { get; } = json;
    public byte[] Gzip => _gzip.Value;
}

/// <summary>
/// The registry: leases by application and instance id, status overrides, recent changes for deltas, and
/// the full and delta documents cached until the next change. One lock guards it all, so a document and its
/// hashcode always describe the same moment. Heartbeats that change nothing leave the cached documents valid,
/// which is what keeps a heartbeat storm and frequent fetches cheap together.
/// Every instance enters through <see cref="Register"/>, whoever sends it (a client, a peer, a peer's copy at start),
/// and is checked there against <see cref="InstanceRules"/> and the registry's bounds (instances, instances per
/// application, bytes), so the full and delta documents stay small whatever is sent.
/// </summary>
public sealed class InstanceRegistry(IOptions<DiscoveryOptions> options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, Lease>> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Lease> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InstanceStatus> _overrides = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Change> _recent = new(StringComparer.Ordinal);
    private readonly RenewalMeter _renewals = new();
    private long _bytes;
    private long _recentBytes;
    private long _version = 1;
    private RegistryDocument? _full;
    private RegistryDocument? _delta;
    private long _deltaStaleAt;

    private DiscoveryOptions Options => options.Value;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>
    /// Registers or replaces an instance. A stored copy with a newer lastDirtyTimestamp is kept, as Eureka does. An
    /// instance that breaks <see cref="InstanceRules"/> is refused (Invalid), as is a new one beyond the registry's bounds (Full).
    /// Lease terms are clamped to what <see cref="InstanceRules"/> allows.
    /// </summary>
    public RegisterResult Register(InstanceInfo incoming)
    {
        lock (_lock)
        {
            var now = Now;
            if (incoming.LastDirtyTimestamp == 0)
            {
                incoming = incoming with { LastDirtyTimestamp = now };
            }

            incoming = incoming with { LeaseInfo = InstanceRules.Clamped(incoming.LeaseInfo), ActionType = null };
            if (InstanceRules.Problem(incoming, now) is { } problem)
            {
                return new(RegisterOutcome.Invalid, problem);
            }

            _byId.TryGetValue(incoming.InstanceId, out var existing);
            var reported = incoming.Status;
            if (existing is not null && existing.Instance.LastDirtyTimestamp > incoming.LastDirtyTimestamp)
            {
                incoming = existing.Instance;
                reported = existing.ReportedStatus;
            }

            var bytes = EurekaJson.InstanceDocument(incoming).Length;
            if (Bound(existing, incoming.App, bytes) is { } full)
            {
                return new(RegisterOutcome.Full, full);
            }

            if (incoming.OverriddenStatus != InstanceStatus.UNKNOWN && !_overrides.ContainsKey(incoming.InstanceId))
            {
                _overrides[incoming.InstanceId] = incoming.OverriddenStatus;
            }

            if (existing is not null)
            {
                Remove(existing);
            }

            var lease = new Lease(incoming.App, incoming, reported)
            {
                RegistrationTimestamp = now,
                LastRenewalTimestamp = now,
                ServiceUpTimestamp = existing?.ServiceUpTimestamp ?? 0,
                Bytes = bytes,
            };
            Apply(lease, now);
            Add(lease);
            Changed(lease, existing is null ? ActionType.ADDED : ActionType.MODIFIED, now);
            return RegisterResult.Registered;
        }
    }

    /// <summary>
    /// A heartbeat. <paramref name="status"/> and <paramref name="overriddenStatus"/> come from replicated or Java
    /// heartbeats. A given lastDirtyTimestamp newer than the stored one means the caller knows more: 404, so it
    /// registers again; an older one on a replicated heartbeat means the caller is behind: 409 with ours.
    /// </summary>
    public (RenewOutcome Outcome, InstanceInfo? Stored) Renew(
        string app, string id, InstanceStatus? status, long? lastDirtyTimestamp, InstanceStatus? overriddenStatus, bool isReplication)
    {
        lock (_lock)
        {
            if (Find(app, id) is not { } lease)
            {
                return (RenewOutcome.NotFound, null);
            }

            var now = Now;
            lease.LastRenewalTimestamp = now;
            _renewals.Count(now);

            if (overriddenStatus is { } overridden && overridden != InstanceStatus.UNKNOWN)
            {
                _overrides[id] = overridden;
            }

            if (status is { } reported)
            {
                lease.ReportedStatus = reported;
            }

            if (Apply(lease, now))
            {
                Changed(lease, ActionType.MODIFIED, now);
            }

            if (lastDirtyTimestamp is { } dirty)
            {
                if (dirty > lease.Instance.LastDirtyTimestamp)
                {
                    return (RenewOutcome.NotFound, null);
                }

                if (dirty < lease.Instance.LastDirtyTimestamp && isReplication)
                {
                    return (RenewOutcome.Conflict, Snapshot(lease));
                }
            }

            return (RenewOutcome.Renewed, null);
        }
    }

    public bool Cancel(string app, string id)
    {
        lock (_lock)
        {
            if (Find(app, id) is not { } lease)
            {
                return false;
            }

            Remove(lease);
            _overrides.Remove(id);
            Changed(lease, ActionType.DELETED, Now);
            return true;
        }
    }

    public bool SetStatusOverride(string app, string id, InstanceStatus value, long? replicatedDirtyTimestamp = null)
    {
        lock (_lock)
        {
            if (Find(app, id) is not { } lease)
            {
                return false;
            }

            _overrides[id] = value;
            var now = Now;
            lease.Instance = lease.Instance with { LastDirtyTimestamp = DirtyTimestamp(lease, replicatedDirtyTimestamp, now) };
            Apply(lease, now);
            Changed(lease, ActionType.MODIFIED, now);
            return true;
        }
    }

    /// <summary>Removes an override; a given status becomes the instance's own, otherwise its last reported one applies again.</summary>
    public bool DeleteStatusOverride(string app, string id, InstanceStatus? value, long? replicatedDirtyTimestamp = null)
    {
        lock (_lock)
        {
            if (Find(app, id) is not { } lease)
            {
                return false;
            }

            _overrides.Remove(id);
            if (value is { } status && status != InstanceStatus.UNKNOWN)
            {
                lease.ReportedStatus = status;
            }

            var now = Now;
            lease.Instance = lease.Instance with { LastDirtyTimestamp = DirtyTimestamp(lease, replicatedDirtyTimestamp, now) };
            Apply(lease, now);
            Changed(lease, ActionType.MODIFIED, now);
            return true;
        }
    }

    /// <summary>Adds or replaces metadata entries; the instance with them must still keep <see cref="InstanceRules"/> and the registry's bounds.</summary>
    public (MetadataOutcome Outcome, string? Reason) UpdateMetadata(string app, string id, IReadOnlyDictionary<string, string> entries)
    {
        lock (_lock)
        {
            if (Find(app, id) is not { } lease)
            {
                return (MetadataOutcome.NotFound, null);
            }

            var metadata = new Dictionary<string, string>(lease.Instance.Metadata);
            foreach (var (key, value) in entries)
            {
                metadata[key] = value;
            }

            var now = Now;
            var updated = lease.Instance with { Metadata = metadata, LastDirtyTimestamp = now };
            var bytes = EurekaJson.InstanceDocument(updated).Length;
            if ((InstanceRules.Problem(updated) ?? Bound(lease, app, bytes)) is { } problem)
            {
                return (MetadataOutcome.Invalid, problem);
            }

            _bytes += bytes - lease.Bytes;
            lease.Bytes = bytes;
            lease.Instance = updated;
            Changed(lease, ActionType.MODIFIED, now);
            return (MetadataOutcome.Updated, null);
        }
    }

    /// <summary>Removes leases not renewed within their duration; returns what was evicted.</summary>
    public IReadOnlyList<InstanceInfo> EvictExpired()
    {
        lock (_lock)
        {
            var now = Now;
            if (SelfPreservationActive(now))
            {
                return [];
            }

            var expired = _byId.Values.Where(l => now > l.LastRenewalTimestamp + l.DurationMs).ToList();
            foreach (var lease in expired)
            {
                Remove(lease);
                _overrides.Remove(lease.Instance.InstanceId);
                lease.EvictionTimestamp = now;
                Changed(lease, ActionType.DELETED, now);
            }

            return [.. expired.Select(Snapshot)];
        }
    }

    /// <summary>Whether eviction is held back now because too few heartbeats arrived in the last minute.</summary>
    public bool SelfPreservationActive() { lock (_lock) { return SelfPreservationActive(Now); } }

    public (int Last, int Expected) RenewalsPerMinute()
    {
        lock (_lock)
        {
            return (_renewals.LastMinute(Now), ExpectedRenewalsPerMinute());
        }
    }

    public RegistryDocument Full()
    {
        lock (_lock)
        {
            return _full ??= new RegistryDocument(EurekaJson.ApplicationsDocument(
                new Applications(CurrentApplications(), AppsHashCode.Compute(_byId.Values.Select(Snapshot)), _version)));
        }
    }

    /// <summary>Every instance changed within the retention window, once, in its latest state, with the hashcode of the whole registry.</summary>
    public RegistryDocument Delta()
    {
        lock (_lock)
        {
            // The cached delta also goes stale when its oldest change ages out, not only when something changes.
            var now = Now;
            if (_delta is not null && now < _deltaStaleAt)
            {
                return _delta;
            }

            var retention = Options.DeltaRetentionSeconds * 1000L;
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
            _deltaStaleAt = _recent.Count == 0 ? long.MaxValue : _recent.Values.Min(r => r.At) + retention;
            return _delta = new RegistryDocument(EurekaJson.ApplicationsDocument(
                new Applications(apps, AppsHashCode.Compute(_byId.Values.Select(Snapshot)), _version)));
        }
    }

    public IReadOnlyList<Application> Applications()
    {
        lock (_lock)
        {
            return CurrentApplications();
        }
    }

    public Application? Application(string app)
    {
        lock (_lock)
        {
            return _apps.TryGetValue(app, out var instances) && instances.Count > 0
                ? new Application(app, [.. instances.Values.Select(Snapshot)])
                : null;
        }
    }

    public InstanceInfo? Instance(string app, string id)
    {
        lock (_lock)
        {
            return Find(app, id) is { } lease ? Snapshot(lease) : null;
        }
    }

    public InstanceInfo? Instance(string id)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(id, out var lease) ? Snapshot(lease) : null;
        }
    }

    /// <summary>Instances whose VIP (or secure VIP) address list names <paramref name="vip"/>, case-insensitively.</summary>
    public IReadOnlyList<Application> ByVip(string vip, bool secure)
    {
        lock (_lock)
        {
            return [.. CurrentApplications()
                .Select(a => a with { Instances = [.. a.Instances.Where(i => NamesVip(secure ? i.SecureVipAddress : i.VipAddress, vip))] })
                .Where(a => a.Instances.Count > 0)];
        }
    }

    public static bool NamesVip(string? vipAddresses, string vip) =>
        vipAddresses?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(v => string.Equals(v, vip, StringComparison.OrdinalIgnoreCase)) == true;

    // ---------------------------------------------------------------- inside the lock

    private Lease? Find(string app, string id) =>
        _byId.TryGetValue(id, out var lease) && lease.App == app ? lease : null;

    /// <summary>
    /// A change replicated from a peer keeps the peer's timestamp rather than our clock's: with both copies equally
    /// dirty, the next replicated heartbeat is not a conflict (409) that would overwrite one peer's state with the other's.
    /// </summary>
    private static long DirtyTimestamp(Lease lease, long? replicated, long now) =>
        replicated is { } origin ? Math.Max(origin, lease.Instance.LastDirtyTimestamp) : now;

    /// <summary>Why one more instance (or a larger one) would pass the registry's bounds, or null.</summary>
    private string? Bound(Lease? existing, string app, int bytes)
    {
        var o = Options;
        if (existing is null && _byId.Count >= o.MaxInstances)
        {
            return $"the registry holds {_byId.Count} instances, its limit";
        }

        if ((existing is null || existing.App != app) && _apps.TryGetValue(app, out var instances) && instances.Count >= o.MaxInstancesPerApp)
        {
            return $"{app} has {instances.Count} instances, the limit per application";
        }

        return _bytes - (existing?.Bytes ?? 0) + bytes > o.MaxRegistryBytes
            ? $"the registry would exceed {o.MaxRegistryBytes} bytes"
            : null;
    }

    private void Add(Lease lease)
    {
        if (!_apps.TryGetValue(lease.App, out var instances))
        {
            _apps[lease.App] = instances = new Dictionary<string, Lease>(StringComparer.Ordinal);
        }

        instances[lease.Instance.InstanceId] = lease;
        _byId[lease.Instance.InstanceId] = lease;
        _bytes += lease.Bytes;
    }

    private void Remove(Lease lease)
    {
        _bytes -= lease.Bytes;
        _byId.Remove(lease.Instance.InstanceId);
        if (_apps.TryGetValue(lease.App, out var instances))
        {
            instances.Remove(lease.Instance.InstanceId);
            if (instances.Count == 0)
            {
                _apps.Remove(lease.App);
            }
        }
    }

    /// <summary>
    /// Works out the status clients see: the instance's own DOWN, STARTING or UNKNOWN wins; else an override;
    /// else its own. Returns whether it changed.
    /// </summary>
    private bool Apply(Lease lease, long now)
    {
        var reported = lease.ReportedStatus;
        var overridden = _overrides.GetValueOrDefault(lease.Instance.InstanceId, InstanceStatus.UNKNOWN);
        var effective = reported is InstanceStatus.DOWN or InstanceStatus.STARTING or InstanceStatus.UNKNOWN || overridden == InstanceStatus.UNKNOWN
            ? reported
            : overridden;

        var changed = lease.Instance.Status != effective || lease.Instance.OverriddenStatus != overridden;
        lease.Instance = lease.Instance with { Status = effective, OverriddenStatus = overridden };
        if (effective == InstanceStatus.UP && lease.ServiceUpTimestamp == 0)
        {
            lease.ServiceUpTimestamp = now;
        }

        return changed;
    }

    private void Changed(Lease lease, ActionType action, long now)
    {
        lease.Instance = lease.Instance with { LastUpdatedTimestamp = now };
        var id = lease.Instance.InstanceId;
        Forget(id);
        // A removed instance is only news of its going: its metadata would cost every reader and tell it nothing.
        var change = Snapshot(lease) with
        {
            ActionType = action,
            Metadata = action == ActionType.DELETED ? new Dictionary<string, string>() : lease.Instance.Metadata,
        };
        var bytes = action == ActionType.DELETED ? EurekaJson.InstanceDocument(change).Length : lease.Bytes;
        _recent[id] = new Change(now, change, bytes);
        _recentBytes += bytes;
        if (_recentBytes > Options.MaxDeltaBytes)
        {
            // A flood of changes: the oldest go, down to nine tenths, so this happens once in many changes.
            foreach (var oldest in _recent.OrderBy(r => r.Value.At).Select(r => r.Key).ToList())
            {
                if (_recentBytes <= Options.MaxDeltaBytes * 9L / 10 || oldest == id)
                {
                    break;
                }

                Forget(oldest);
            }
        }

        _version++;
        _full = null;
        _delta = null;
    }

    private void Forget(string id)
    {
        if (_recent.Remove(id, out var change))
        {
            _recentBytes -= change.Bytes;
        }
    }

    private sealed record Change(long At, InstanceInfo Instance, int Bytes);

    private List<Application> CurrentApplications() =>
        [.. _apps.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Where(a => a.Value.Count > 0)
            .Select(a => new Application(a.Key, [.. a.Value.Values.Select(Snapshot)]))];

    private static InstanceInfo Snapshot(Lease lease) => lease.Instance with
    {
        LeaseInfo = lease.Instance.LeaseInfo with
        {
            RegistrationTimestamp = lease.RegistrationTimestamp,
            LastRenewalTimestamp = lease.LastRenewalTimestamp,
            EvictionTimestamp = lease.EvictionTimestamp,
            ServiceUpTimestamp = lease.ServiceUpTimestamp,
        },
        ActionType = null,
    };

    private bool SelfPreservationActive(long now)
    {
        if (!Options.SelfPreservation)
        {
            return false;
        }

        var expected = ExpectedRenewalsPerMinute();
        return expected > 0 && _renewals.LastMinute(now) < Options.RenewalPercentThreshold * expected;
    }

    private int ExpectedRenewalsPerMinute() =>
        (int)_byId.Values.Sum(l => 60.0 / Math.Max(1, l.Instance.LeaseInfo.RenewalIntervalInSecs));

    private sealed class Lease(string app, InstanceInfo instance, InstanceStatus reportedStatus)
    {
        public string App { get; } = app;
        public InstanceInfo Instance { get; set; } = instance;
        public InstanceStatus ReportedStatus { get; set; } = reportedStatus;
        public long RegistrationTimestamp { get; set; }
        public long LastRenewalTimestamp { get; set; }
        public long EvictionTimestamp { get; set; }
        public long ServiceUpTimestamp { get; set; }

        /// <summary>The instance's size as JSON, counted against MaxRegistryBytes.</summary>
        public int Bytes { get; set; }

        public long DurationMs => 1000L * (Instance.LeaseInfo.DurationInSecs > 0 ? Instance.LeaseInfo.DurationInSecs : LeaseInfo.DefaultDurationInSecs);
    }

    /// <summary>Heartbeats per second over the last minute, for self-preservation.</summary>
    private sealed class RenewalMeter
    {
        private readonly int[] _perSecond = new int[60];
        private readonly long[] _second = new long[60];

        public void Count(long nowMs)
        {
            var second = nowMs / 1000;
            var slot = (int)(second % 60);
            if (_second[slot] != second)
            {
                _second[slot] = second;
                _perSecond[slot] = 0;
            }

            _perSecond[slot]++;
        }

        public int LastMinute(long nowMs)
        {
            var second = nowMs / 1000;
            var total = 0;
            for (var i = 0; i < 60; i++)
            {
                if (second - _second[i] < 60)
                {
                    total += _perSecond[i];
                }
            }

            return total;
        }
    }
}
