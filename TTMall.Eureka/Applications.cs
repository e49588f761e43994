namespace TTMall.Eureka;

/// <summary>The registry, or a delta of it.</summary>
public sealed record Applications(IReadOnlyList<Application> Items, string AppsHashCode, long VersionsDelta)
{
    public static Applications Empty { get; } = new([], "", 1);

    public IEnumerable<InstanceInfo> AllInstances => Items.SelectMany(a => a.Instances);
}
