using Microsoft.Extensions.Options;
using TTMall.Eureka;

namespace TTMall.Discovery.Registry;

/// <summary>
/// The registry: it keeps the leases (<see cref="LeaseTable"/>), the status overrides (<see cref="StatusOverrides"/>),
/// the recent changes for deltas (<see cref="DeltaJournal"/>), the cached documents (<see cref="RegistryDocumentCache"/>)
/// and the self-preservation meter (<see cref="SelfPreservation"/>) in step. One lock guards them all, so a document and
/// its hashcode always describe the same moment.
/// Every instance enters through <see cref="Register"/>, whoever sends it (a client, a peer, a peer's copy at start),
/// and is checked there against <see cref="InstanceRules"/> and the registry's bounds (instances, instances per
/// application, bytes), so the full and delta documents stay small whatever is sent.
/// </summary>
public sealed class InstanceRegistry(IOptions<DiscoveryOptions> options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly LeaseTable _leases = new(options);
    private readonly StatusOverrides _overrides = new();
    private readonly DeltaJournal _journal = new(options);
    private readonly RegistryDocumentCache _documents = new();
    private readonly SelfPreservation _selfPreservation = new(options);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _leases.Count;
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

            var existing = _leases.Find(incoming.InstanceId);
            var reported = incoming.Status;
            if (existing is not null && existing.Instance.LastDirtyTimestamp > incoming.LastDirtyTimestamp)
            {
                incoming = existing.Instance;
                reported = existing.ReportedStatus;
            }

            var bytes = EurekaJson.InstanceDocument(incoming).Length;
            if (_leases.Bound(existing, incoming.App, bytes) is { } full)
            {
                return new(RegisterOutcome.Full, full);
            }

            _overrides.AdoptFrom(incoming);
            if (existing is not null)
            {
                _leases.Remove(existing);
            }

            var lease = new Lease(incoming.App, incoming, reported)
            {
                RegistrationTimestamp = now,
                LastRenewalTimestamp = now,
                ServiceUpTimestamp = existing?.ServiceUpTimestamp ?? 0,
                Bytes = bytes,
            };
            _overrides.Apply(lease, now);
            _leases.Add(lease);
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
            if (_leases.Find(app, id) is not { } lease)
            {
                return (RenewOutcome.NotFound, null);
            }

            // A caller holding a newer registration than ours registers again, with its status: nothing of this
            // heartbeat is taken meanwhile (a refused heartbeat that changed the status would leave the peers disagreeing).
            if (lastDirtyTimestamp is { } newer && newer > lease.Instance.LastDirtyTimestamp)
            {
                return (RenewOutcome.NotFound, null);
            }

            var now = Now;
            lease.LastRenewalTimestamp = now;
            _selfPreservation.Renewed(now);

            // A peer behind us gets ours back (409); its older idea of the status is not taken either.
            if (lastDirtyTimestamp is { } older && older < lease.Instance.LastDirtyTimestamp && isReplication)
            {
                return (RenewOutcome.Conflict, lease.Snapshot());
            }

            if (overriddenStatus is { } overridden && overridden != InstanceStatus.UNKNOWN)
            {
                _overrides.Set(id, overridden);
            }

            if (status is { } reported)
            {
                lease.ReportedStatus = reported;
            }

            if (_overrides.Apply(lease, now))
            {
                Changed(lease, ActionType.MODIFIED, now);
            }

            return (RenewOutcome.Renewed, null);
        }
    }

    public bool Cancel(string app, string id)
    {
        lock (_lock)
        {
            if (_leases.Find(app, id) is not { } lease)
            {
                return false;
            }

            _leases.Remove(lease);
            _overrides.Remove(id);
            Changed(lease, ActionType.DELETED, Now);
            return true;
        }
    }

    public bool SetStatusOverride(string app, string id, InstanceStatus value, long? replicatedDirtyTimestamp = null)
    {
        lock (_lock)
        {
            if (_leases.Find(app, id) is not { } lease)
            {
                return false;
            }

            _overrides.Set(id, value);
            var now = Now;
            lease.Instance = lease.Instance with { LastDirtyTimestamp = DirtyTimestamp(lease, replicatedDirtyTimestamp, now) };
            _overrides.Apply(lease, now);
            Changed(lease, ActionType.MODIFIED, now);
            return true;
        }
    }

    /// <summary>Removes an override; a given status becomes the instance's own, otherwise its last reported one applies again.</summary>
    public bool DeleteStatusOverride(string app, string id, InstanceStatus? value, long? replicatedDirtyTimestamp = null)
    {
        lock (_lock)
        {
            if (_leases.Find(app, id) is not { } lease)
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
            _overrides.Apply(lease, now);
            Changed(lease, ActionType.MODIFIED, now);
            return true;
        }
    }

    /// <summary>Adds or replaces metadata entries; the instance with them must still keep <see cref="InstanceRules"/> and the registry's bounds.</summary>
    public (MetadataOutcome Outcome, string? Reason) UpdateMetadata(string app, string id, IReadOnlyDictionary<string, string> entries)
    {
        lock (_lock)
        {
            if (_leases.Find(app, id) is not { } lease)
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
            if ((InstanceRules.Problem(updated) ?? _leases.Bound(lease, app, bytes)) is { } problem)
            {
                return (MetadataOutcome.Invalid, problem);
            }

            _leases.Resize(lease, bytes);
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
            if (_selfPreservation.IsActive(now, _leases.All))
            {
                return [];
            }

            var expired = _leases.All.Where(l => now > l.LastRenewalTimestamp + l.DurationMs).ToList();
            foreach (var lease in expired)
            {
                _leases.Remove(lease);
                _overrides.Remove(lease.Instance.InstanceId);
                lease.EvictionTimestamp = now;
                Changed(lease, ActionType.DELETED, now);
            }

            return [.. expired.Select(l => l.Snapshot())];
        }
    }

    /// <summary>Whether eviction is held back now because too few heartbeats arrived in the last minute.</summary>
    public bool SelfPreservationActive() { lock (_lock) { return _selfPreservation.IsActive(Now, _leases.All); } }

    public (int Last, int Expected) RenewalsPerMinute()
    {
        lock (_lock)
        {
            return (_selfPreservation.RenewalsLastMinute(Now), SelfPreservation.ExpectedRenewalsPerMinute(_leases.All));
        }
    }

    public RegistryDocument Full()
    {
        lock (_lock)
        {
            return _documents.Full(_leases.Applications, _leases.HashCode);
        }
    }

    /// <summary>Every instance changed within the retention window, once, in its latest state, with the hashcode of the whole registry.</summary>
    public RegistryDocument Delta()
    {
        lock (_lock)
        {
            var now = Now;
            return _documents.Delta(now, () => _journal.Current(now), _leases.HashCode);
        }
    }

    public IReadOnlyList<Application> Applications()
    {
        lock (_lock)
        {
            return _leases.Applications();
        }
    }

    public Application? Application(string app)
    {
        lock (_lock)
        {
            return _leases.Application(app);
        }
    }

    public InstanceInfo? Instance(string app, string id)
    {
        lock (_lock)
        {
            return _leases.Find(app, id)?.Snapshot();
        }
    }

    public InstanceInfo? Instance(string id)
    {
        lock (_lock)
        {
            return _leases.Find(id)?.Snapshot();
        }
    }

    /// <summary>Instances whose VIP (or secure VIP) address list names <paramref name="vip"/>, case-insensitively.</summary>
    public IReadOnlyList<Application> ByVip(string vip, bool secure)
    {
        lock (_lock)
        {
            return [.. _leases.Applications()
                .Select(a => a with { Instances = [.. a.Instances.Where(i => NamesVip(secure ? i.SecureVipAddress : i.VipAddress, vip))] })
                .Where(a => a.Instances.Count > 0)];
        }
    }

    public static bool NamesVip(string? vipAddresses, string vip) =>
        vipAddresses?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(v => string.Equals(v, vip, StringComparison.OrdinalIgnoreCase)) == true;

    /// <summary>
    /// A change replicated from a peer keeps the peer's timestamp rather than our clock's: with both copies equally
    /// dirty, the next replicated heartbeat is not a conflict (409) that would overwrite one peer's state with the other's.
    /// </summary>
    private static long DirtyTimestamp(Lease lease, long? replicated, long now) =>
        replicated is { } origin ? Math.Max(origin, lease.Instance.LastDirtyTimestamp) : now;

    /// <summary>Every change, inside the lock: the instance is stamped, the delta hears of it, the cached documents go.</summary>
    private void Changed(Lease lease, ActionType action, long now)
    {
        lease.Instance = lease.Instance with { LastUpdatedTimestamp = now };
        _journal.Record(lease, action, now);
        _documents.Changed();
    }
}
