using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace TTMall.Discovery;

/// <summary>
/// Registrations accepted per second (<see cref="DiscoveryOptions.RegistrationsPerSecond"/>), counted apart for clients
/// and for peers: a storm of one kind cannot use up the other's, and a peer's batch cannot carry more than a client could send.
/// </summary>
public sealed class RegistrationLimits(IOptions<DiscoveryOptions> options) : IDisposable
{
    private readonly TokenBucketRateLimiter _clients = Bucket(options.Value.RegistrationsPerSecond);
    private readonly TokenBucketRateLimiter _peers = Bucket(options.Value.RegistrationsPerSecond);

    /// <summary>Takes one registration from the sender's budget; false when it is spent for this second.</summary>
    public bool TryAcquire(bool fromPeer)
    {
        using var lease = (fromPeer ? _peers : _clients).AttemptAcquire();
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _clients.Dispose();
        _peers.Dispose();
    }

    private static TokenBucketRateLimiter Bucket(int perSecond) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = Math.Max(1, perSecond),
        TokensPerPeriod = Math.Max(1, perSecond),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
