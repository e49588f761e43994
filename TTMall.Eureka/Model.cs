namespace TTMall.Eureka;

/// <summary>An instance's status, as Eureka names them.</summary>
public enum InstanceStatus
{
    UP,
    DOWN,
    STARTING,
    OUT_OF_SERVICE,
    UNKNOWN,
}

/// <summary>What happened to an instance, in a delta.</summary>
public enum ActionType
{
    ADDED,
    MODIFIED,
    DELETED,
}

public static class InstanceStatuses
{
    /// <summary>Case-insensitive; anything unrecognised is UNKNOWN, as Eureka itself reads it.</summary>
    public static InstanceStatus Parse(string? text) => TryParse(text, out var status) ? status : InstanceStatus.UNKNOWN;

    /// <summary>One status by its name, case-insensitively: Enum.TryParse would also take "1" or "UP,DOWN" (read as DOWN).</summary>
    public static bool TryParse(string? text, out InstanceStatus status)
    {
        var name = text?.Trim();
        foreach (var candidate in Enum.GetValues<InstanceStatus>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = InstanceStatus.UNKNOWN;
        return false;
    }
}

/// <summary>Lease terms and times (milliseconds since the Unix epoch; 0 when not set).</summary>
public sealed record LeaseInfo
{
    public const int DefaultRenewalIntervalInSecs = 30;
    public const int DefaultDurationInSecs = 90;

    public int RenewalIntervalInSecs { get; init; } = DefaultRenewalIntervalInSecs;
    public int DurationInSecs { get; init; } = DefaultDurationInSecs;
    public long RegistrationTimestamp { get; init; }
    public long LastRenewalTimestamp { get; init; }
    public long EvictionTimestamp { get; init; }
    public long ServiceUpTimestamp { get; init; }
}

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

/// <summary>An application: its name (upper case) and its instances.</summary>
public sealed record Application(string Name, IReadOnlyList<InstanceInfo> Instances);

/// <summary>The registry, or a delta of it.</summary>
public sealed record Applications(IReadOnlyList<Application> Items, string AppsHashCode, long VersionsDelta)
{
    public static Applications Empty { get; } = new([], "", 1);

    public IEnumerable<InstanceInfo> AllInstances => Items.SelectMany(a => a.Instances);
}

/// <summary>
/// Eureka's consistency check between a client's copy and the server: every instance counted by status,
/// statuses in ordinal order, written as NAME_count_ (e.g. "DOWN_1_UP_3_"); empty for an empty registry.
/// </summary>
public static class AppsHashCode
{
    public static string Compute(IEnumerable<InstanceInfo> instances)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            var name = instance.Status.ToString();
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        return string.Concat(counts.Select(c => $"{c.Key}_{c.Value}_"));
    }
}
