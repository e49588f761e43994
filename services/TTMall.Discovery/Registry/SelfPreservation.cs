using Microsoft.Extensions.Options;

namespace TTMall.Discovery.Registry;

/// <summary>
/// Holds eviction back while heartbeats in the last minute fall below RenewalPercentThreshold of those the leases
/// promise: then it is more likely the network than the instances that failed. Not thread-safe:
/// <see cref="InstanceRegistry"/> uses it under its lock.
/// </summary>
internal sealed class SelfPreservation(IOptions<DiscoveryOptions> options)
{
    private readonly RenewalMeter _renewals = new();

    public void Renewed(long now) => _renewals.Count(now);

    public int RenewalsLastMinute(long now) => _renewals.LastMinute(now);

    public bool IsActive(long now, IEnumerable<Lease> leases)
    {
        if (!options.Value.SelfPreservation)
        {
            return false;
        }

        var expected = ExpectedRenewalsPerMinute(leases);
        return expected > 0 && _renewals.LastMinute(now) < options.Value.RenewalPercentThreshold * expected;
    }

    public static int ExpectedRenewalsPerMinute(IEnumerable<Lease> leases) =>
        (int)leases.Sum(l => 60.0 / Math.Max(1, l.Instance.LeaseInfo.RenewalIntervalInSecs));
}
