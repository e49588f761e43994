using TTMall.Eureka;

namespace TTMall.Discovery.Registry;

/// <summary>
/// The full and delta documents, each built on its first read and kept until the registry changes (the delta also until
/// its oldest change ages out), and the version every change advances. Heartbeats that change nothing leave them valid,
/// which is what keeps a heartbeat storm and frequent fetches cheap together. Not thread-safe:
/// <see cref="InstanceRegistry"/> uses it under its lock.
/// </summary>
internal sealed class RegistryDocumentCache
{
    private long _version = 1;
    private RegistryDocument? _full;
    private RegistryDocument? _delta;
    private long _deltaStaleAt;

    public void Changed()
    {
        _version++;
        _full = null;
        _delta = null;
    }

    public RegistryDocument Full(Func<IReadOnlyList<Application>> applications, Func<string> hashCode) =>
        _full ??= Document(applications(), hashCode());

    public RegistryDocument Delta(long now, Func<(List<Application> Applications, long StaleAt)> changes, Func<string> hashCode)
    {
        if (_delta is not null && now < _deltaStaleAt)
        {
            return _delta;
        }

        var (apps, staleAt) = changes();
        _deltaStaleAt = staleAt;
        return _delta = Document(apps, hashCode());
    }

    private RegistryDocument Document(IReadOnlyList<Application> apps, string hashCode) =>
        new(EurekaJson.ApplicationsDocument(new Applications(apps, hashCode, _version)));
}
