using TTMall.Eureka;

namespace TTMall.Discovery.Replication;

/// <summary>A peer's answer to one item: an HTTP status, for 409 its newer copy of the instance, and why it refused (not sent to peers).</summary>
public sealed record ReplicationResult(int StatusCode, InstanceInfo? Entity = null, string? Reason = null);
