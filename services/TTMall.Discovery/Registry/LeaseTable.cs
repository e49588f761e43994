using Microsoft.Extensions.Options;
using TTMall.Eureka;

namespace TTMall.Discovery.Registry;

/// <summary>
/// The leases by application and by instance id, and their size as JSON together, which the registry's bounds
/// (instances, instances per application, bytes) are checked against. Not thread-safe: <see cref="InstanceRegistry"/>
/// uses it under its lock.
/// </summary>
internal sealed class LeaseTable(IOptions<DiscoveryOptions> options)
{
    private readonly Dictionary<string, Dictionary<string, Lease>> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Lease> _byId = new(StringComparer.Ordinal);
    private long _bytes;

    public int Count => _byId.Count;

    public IEnumerable<Lease> All => _byId.Values;

    public Lease? Find(string id) => _byId.GetValueOrDefault(id);

    public Lease? Find(string app, string id) =>
        _byId.TryGetValue(id, out var lease) && lease.App == app ? lease : null;

    /// <summary>Why one more instance (or a larger one) would pass the registry's bounds, or null.</summary>
    public string? Bound(Lease? existing, string app, int bytes)
    {
        var o = options.Value;
        if (existing is null && _byId.Count >= o.MaxInstances)
        {
            return $"the registry holds {_byId.Count} instances, its limit";
        }

        if ((existing is null || existing.App != app) && _apps.TryGetValue(app, out var instances) && instances.Count >= o.MaxInstancesPerApp)
        {
            return $"{app} has {instances.Count} instances, the limit per application";
        }

        return _bytes - (existing?.Bytes ?? 0) + bytes > o.MaxRegistryBytes
            ? $"the registry would exceed {o.MaxRegistryBytes} bytes"
            : null;
    }

    public void Add(Lease lease)
    {
        if (!_apps.TryGetValue(lease.App, out var instances))
        {
            _apps[lease.App] = instances = new Dictionary<string, Lease>(StringComparer.Ordinal);
        }

        instances[lease.Instance.InstanceId] = lease;
        _byId[lease.Instance.InstanceId] = lease;
        _bytes += lease.Bytes;
    }

    public void Remove(Lease lease)
    {
        _bytes -= lease.Bytes;
        _byId.Remove(lease.Instance.InstanceId);
        if (_apps.TryGetValue(lease.App, out var instances))
        {
            instances.Remove(lease.Instance.InstanceId);
            if (instances.Count == 0)
            {
                _apps.Remove(lease.App);
            }
        }
    }

    /// <summary>The lease's instance has a new size as JSON (<paramref name="bytes"/>), already checked with <see cref="Bound"/>.</summary>
    public void Resize(Lease lease, int bytes)
    {
        _bytes += bytes - lease.Bytes;
        lease.Bytes = bytes;
    }

    /// <summary>Every application, by name, with its instances as they are sent.</summary>
    public List<Application> Applications() =>
        [.. _apps.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Where(a => a.Value.Count > 0)
            .Select(a => new Application(a.Key, [.. a.Value.Values.Select(l => l.Snapshot())]))];

    public Application? Application(string app) =>
        _apps.TryGetValue(app, out var instances) && instances.Count > 0
            ? new Application(app, [.. instances.Values.Select(l => l.Snapshot())])
            : null;

    /// <summary>The hashcode of the whole registry, as the full and delta documents carry it.</summary>
    public string HashCode() => AppsHashCode.Compute(_byId.Values.Select(l => l.Snapshot()));
}
