using TTMall.Discovery.Replication;
using TTMall.Eureka;

namespace TTMall.Discovery.Registry;

/// <summary>
/// The registry's write operations by their replication names, so a client's request and a peer's replicated
/// item take the same path. Answers carry Eureka's status codes.
/// </summary>
public sealed class RegistryOperations(InstanceRegistry registry)
{
    public InstanceRegistry Registry => registry;

    public ReplicationResult Execute(ReplicationItem item, bool isReplication) => item.Action switch
    {
        ReplicationAction.Register when item.InstanceInfo is { } instance =>
            registry.Register(instance with { App = item.AppName }) == RegisterOutcome.Registered ? new(204) : new(503),
        ReplicationAction.Register => new(400),
        ReplicationAction.Heartbeat => registry.Renew(item.AppName, item.Id, item.Status, item.LastDirtyTimestamp, item.OverriddenStatus, isReplication) switch
        {
            (RenewOutcome.Renewed, _) => new(200),
            (RenewOutcome.Conflict, var stored) => new(409, stored),
            _ => new(404),
        },
        ReplicationAction.Cancel => new(registry.Cancel(item.AppName, item.Id) ? 200 : 404),
        ReplicationAction.StatusUpdate when item.Status is { } status =>
            new(registry.SetStatusOverride(item.AppName, item.Id, status, item.LastDirtyTimestamp) ? 200 : 404),
        ReplicationAction.StatusUpdate => new(400),
        ReplicationAction.DeleteStatusOverride =>
            new(registry.DeleteStatusOverride(item.AppName, item.Id, item.Status, item.LastDirtyTimestamp) ? 200 : 404),
        _ => new(400),
    };
}
