namespace TTMall.Eureka.Client;

/// <summary><c>Eureka:Instance:*</c>, as Steeltoe names them. Unset values come from the running process.</summary>
public sealed class EurekaInstanceOptions
{
    public const string Section = "Eureka:Instance";

    public string? AppName { get; set; }
    public string? InstanceId { get; set; }
    public string? HostName { get; set; }
    public string IPAddress { get; set; } = "127.0.0.1";
    public bool PreferIPAddress { get; set; }

    /// <summary>0: the port the server actually listens on.</summary>
    public int Port { get; set; }

    /// <summary>The application's name (any case; the lower-case name when unset): the registry refuses another application's.</summary>
    public string? VipAddress { get; set; }
    public int LeaseRenewalIntervalInSeconds { get; set; } = 30;
    public int LeaseExpirationDurationInSeconds { get; set; } = 90;
    public string HealthCheckUrlPath { get; set; } = "/health";
    public string StatusPageUrlPath { get; set; } = "/alive";
    public Dictionary<string, string> MetadataMap { get; set; } = [];

    /// <summary>
    /// Not a Steeltoe key: how long a stopping process keeps serving after it has left the registry, so that
    /// requests routed by registries fetched just before still succeed. The mall's local profile sets it.
    /// </summary>
    public double DrainSeconds { get; set; }
}
