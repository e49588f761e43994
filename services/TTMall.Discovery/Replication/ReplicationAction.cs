namespace TTMall.Discovery.Replication;

public enum ReplicationAction { Register, Heartbeat, Cancel, StatusUpdate, DeleteStatusOverride }
