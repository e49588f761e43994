namespace TTMall.Hosting;

/// <summary>Ports: the local servers' (0 means "pick a free one at start"), and the well-known ones of the discovery peers and the gateway.</summary>
public sealed record LocalPorts(int Postgres, int Redis, int RabbitMq, int RabbitMqDistribution, int Epmd, int Discovery1 = 8761, int Discovery2 = 8762, int Gateway = 8080, int RabbitMqManagement = 0);
