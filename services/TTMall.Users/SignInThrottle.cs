using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace TTMall.Users;

/// <summary>
/// Limits sign-in attempts per client IP and e-mail. The ASP.NET Core rate limiter's partitioned fixed windows,
/// used from the endpoint rather than as middleware because the e-mail is in the JSON body, which the
/// middleware's (synchronous) partitioner runs too early to read. Per replica by nature; the lockout in the
/// database is what holds across replicas.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _window;

    public SignInThrottle(IOptions<UsersOptions> options)
    {
        var o = options.Value;
        _window = o.SignInWindow;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions
            {
                PermitLimit = o.SignInAttemptsPerWindow,
                Window = o.SignInWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Null when the attempt may go ahead; otherwise how long the client should wait.</summary>
    public TimeSpan? Reject(IPAddress? client, string normalizedEmail)
    {
        using var lease = _limiter.AttemptAcquire($"{client}|{normalizedEmail}");
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter
            : _window;
    }

    public void Dispose() => _limiter.Dispose();
}
