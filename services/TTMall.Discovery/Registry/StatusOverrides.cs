using TTMall.Eureka;

namespace TTMall.Discovery.Registry;

/// <summary>
/// Statuses set from outside (an operator, a peer, an instance registering with one) by instance id, and the rule that
/// decides which status clients see. Not thread-safe: <see cref="InstanceRegistry"/> uses it under its lock.
/// </summary>
internal sealed class StatusOverrides
{
    private readonly Dictionary<string, InstanceStatus> _byId = new(StringComparer.Ordinal);

    public void Set(string id, InstanceStatus status) => _byId[id] = status;

    /// <summary>A registration's own override counts only while none is set here: one set on this registry outlives re-registrations.</summary>
    public void AdoptFrom(InstanceInfo registering)
    {
        if (registering.OverriddenStatus != InstanceStatus.UNKNOWN)
        {
            _byId.TryAdd(registering.InstanceId, registering.OverriddenStatus);
        }
    }

    public void Remove(string id) => _byId.Remove(id);

    /// <summary>
    /// Works out the status clients see: the instance's own DOWN, STARTING or UNKNOWN wins; else an override;
    /// else its own. Returns whether it changed.
    /// </summary>
    public bool Apply(Lease lease, long now)
    {
        var reported = lease.ReportedStatus;
        var overridden = _byId.GetValueOrDefault(lease.Instance.InstanceId, InstanceStatus.UNKNOWN);
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
}
