using TTMall.Eureka;

namespace TTMall.Discovery.Registry;

/// <summary>One registered instance: as clients see it, the status it last reported itself, and its lease's moments.</summary>
internal sealed class Lease(string app, InstanceInfo instance, InstanceStatus reportedStatus)
{
    public string App { get; } = app;
    public InstanceInfo Instance { get; set; } = instance;
    public InstanceStatus ReportedStatus { get; set; } = reportedStatus;
    public long RegistrationTimestamp { get; set; }
    public long LastRenewalTimestamp { get; set; }
    public long EvictionTimestamp { get; set; }
    public long ServiceUpTimestamp { get; set; }

    /// <summary>The instance's size as JSON, counted against MaxRegistryBytes.</summary>
    public int Bytes { get; set; }

    public long DurationMs => 1000L * (Instance.LeaseInfo.DurationInSecs > 0 ? Instance.LeaseInfo.DurationInSecs : LeaseInfo.DefaultDurationInSecs);

    /// <summary>The instance as it is sent, its lease's moments filled in: a copy, so no reader sees it change under it.</summary>
    public InstanceInfo Snapshot() => Instance with
    {
        LeaseInfo = Instance.LeaseInfo with
        {
            RegistrationTimestamp = RegistrationTimestamp,
            LastRenewalTimestamp = LastRenewalTimestamp,
            EvictionTimestamp = EvictionTimestamp,
            ServiceUpTimestamp = ServiceUpTimestamp,
        },
        ActionType = null,
    };
}
