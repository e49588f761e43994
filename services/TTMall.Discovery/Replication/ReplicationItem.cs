using TTMall.Eureka;

namespace TTMall.Discovery.Replication;

/// <summary>One operation forwarded to a peer, in the shape of Eureka's peer batch (<c>POST peerreplication/batch/</c>).</summary>
public sealed record ReplicationItem(
    ReplicationAction Action,
    string AppName,
    string Id,
    long? LastDirtyTimestamp = null,
    InstanceStatus? Status = null,
    InstanceStatus? OverriddenStatus = null,
    InstanceInfo? InstanceInfo = null)
{
    /// <summary>What the peer should be told after a change here, from the instance as it is now stored.</summary>
    public static ReplicationItem From(ReplicationAction action, InstanceInfo stored) => new(
        action, stored.App, stored.InstanceId, stored.LastDirtyTimestamp, stored.Status, stored.OverriddenStatus,
        action == ReplicationAction.Register ? stored : null);
}
