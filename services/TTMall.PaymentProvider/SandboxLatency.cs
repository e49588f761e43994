using Microsoft.EntityFrameworkCore;
using TTMall.PaymentProvider.Data;

namespace TTMall.PaymentProvider;

/// <summary>
/// The slow-network switch: every charge or refund recorded while it is on waits this long after its commit before it
/// is answered, so a caller with a shorter timeout gives up on a charge that was made. Kept in the database
/// (<see cref="SandboxSettings"/>), so all replicas of the provider and a restarted one are equally slow.
/// </summary>
public sealed class SandboxLatency(ProviderDbContext db, TimeProvider time)
{
    public const int MaxMilliseconds = 60_000;

    public async Task<int> GetAsync(CancellationToken cancellationToken) =>
        await db.Sandbox.Where(s => s.Id == SandboxSettings.TheRow).Select(s => s.LatencyMilliseconds).SingleAsync(cancellationToken);

    public async Task SetAsync(int milliseconds, CancellationToken cancellationToken) =>
        await db.Sandbox.Where(s => s.Id == SandboxSettings.TheRow)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LatencyMilliseconds, milliseconds), cancellationToken);

    /// <summary>Waits the configured time; cancelled with the request when its caller has gone.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var milliseconds = await GetAsync(cancellationToken);
        if (milliseconds > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), time, cancellationToken);
        }
    }
}
