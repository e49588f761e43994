using TTMall.Discovery.Replication;
using TTMall.Eureka;

namespace TTMall.Discovery.Registry;

/// <summary>
/// The registry's write operations by their replication names, so a client's request and a peer's replicated
/// item take the same path and the same checks. Answers carry Eureka's status codes (507 when the registry is full).
/// </summary>
public sealed class RegistryOperations(InstanceRegistry registry, TimeProvider time)
{
    public InstanceRegistry Registry => registry;

    public ReplicationResult Execute(ReplicationItem item, bool isReplication)
    {
        if (Problem(item) is { } problem)
        {
            return new(400, Reason: problem);
        }

        return item.Action switch
        {
            ReplicationAction.Register when item.InstanceInfo is { } instance => registry.Register(instance with { App = item.AppName }) switch
            {
                { Outcome: RegisterOutcome.Registered } => new(204),
                { Outcome: RegisterOutcome.Full, Reason: var reason } => new(507, Reason: reason),
                { Reason: var reason } => new(400, Reason: reason),
            },
            ReplicationAction.Register => new(400, Reason: "no instance"),
            ReplicationAction.Heartbeat => registry.Renew(item.AppName, item.Id, item.Status, item.LastDirtyTimestamp, item.OverriddenStatus, isReplication) switch
            {
                (RenewOutcome.Renewed, _) => new(200),
                (RenewOutcome.Conflict, var stored) => new(409, stored),
                _ => new(404),
            },
            ReplicationAction.Cancel => new(registry.Cancel(item.AppName, item.Id) ? 200 : 404),
            ReplicationAction.StatusUpdate when item.Status is { } status =>
                new(registry.SetStatusOverride(item.AppName, item.Id, status, item.LastDirtyTimestamp) ? 200 : 404),
            ReplicationAction.StatusUpdate => new(400, Reason: "no status"),
            ReplicationAction.DeleteStatusOverride =>
                new(registry.DeleteStatusOverride(item.AppName, item.Id, item.Status, item.LastDirtyTimestamp) ? 200 : 404),
            _ => new(400),
        };
    }

    /// <summary>
    /// What no instance could be named by, or no clock could have written: such an item changes nothing. A lastDirtyTimestamp
    /// in the future would win every later comparison, and the instance's owner could never take it back.
    /// </summary>
    private string? Problem(ReplicationItem item) =>
        !InstanceRules.IsSafeId(item.AppName, InstanceRules.MaxAppNameLength) ? "the application name is not one the registry holds"
        : !InstanceRules.IsSafeId(item.Id) ? "the instance id is not one the registry holds"
        : item.LastDirtyTimestamp > time.GetUtcNow().Add(InstanceRules.MaxClockSkew).ToUnixTimeMilliseconds() ? $"lastDirtyTimestamp {item.LastDirtyTimestamp} is in the future"
        : null;
}
