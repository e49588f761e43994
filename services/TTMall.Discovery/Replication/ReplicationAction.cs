using System.Globalization;
using System.Text.Json;
using TTMall.Eureka;

namespace TTMall.Discovery.Replication;

public enum ReplicationAction { Register, Heartbeat, Cancel, StatusUpdate, DeleteStatusOverride }
