namespace TTMall.Eureka;

/// <summary>One registered instance, in Eureka's shape.</summary>
public sealed record InstanceInfo
{
    public const string DefaultDataCenterClass = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo";
    public const string MyOwn = "MyOwn";

    public required string InstanceId { get; init; }
    public required string App { get; init; }
    public string HostName { get; init; } = "";
    public string IpAddr { get; init; } = "";
    public InstanceStatus Status { get; init; } = InstanceStatus.UP;
    public InstanceStatus OverriddenStatus { get; init; } = InstanceStatus.UNKNOWN;
    public int Port { get; init; }
    public bool PortEnabled { get; init; } = true;
    public int SecurePort { get; init; } = 443;
    public bool SecurePortEnabled { get; init; }
    public int CountryId { get; init; } = 1;
    public string DataCenterClass { get; init; } = DefaultDataCenterClass;
    public string DataCenterName { get; init; } = MyOwn;
    public LeaseInfo LeaseInfo { get; init; } = new();
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public string? HomePageUrl { get; init; }
    public string? StatusPageUrl { get; init; }
    public string? HealthCheckUrl { get; init; }
    public string? SecureHealthCheckUrl { get; init; }
    public string? VipAddress { get; init; }
    public string? SecureVipAddress { get; init; }
    public bool IsCoordinatingDiscoveryServer { get; init; }
    public long LastUpdatedTimestamp { get; init; }
    public long LastDirtyTimestamp { get; init; }
    public ActionType? ActionType { get; init; }

    /// <summary>The status clients route by: an override when one is set, else the instance's own.</summary>
    public InstanceStatus EffectiveStatus => OverriddenStatus != InstanceStatus.UNKNOWN ? OverriddenStatus : Status;

    /// <summary>
    /// "http://host:port/" of the plain port (or https for the secure port when only that is enabled); null when no port
    /// is enabled or the host or port could make no address (registry data is untrusted: this never throws).
    /// </summary>
    public Uri? BaseUri =>
        PortEnabled ? InstanceRules.Address("http", HostOrIp, Port)
        : SecurePortEnabled ? InstanceRules.Address("https", HostOrIp, SecurePort)
        : null;

    private string HostOrIp => HostName.Length > 0 ? HostName : IpAddr;
}
