using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TTMall.Users.Data;

namespace TTMall.Users;

/// <summary>
/// Fixed-window counters in usersdb, so a limit holds for the service as a whole and not once per replica. Each
/// count is one INSERT … ON CONFLICT statement: replicas counting the same key at once neither lose a count nor
/// both start a window.
/// </summary>
public sealed class RateLimits(UsersDbContext db, TimeProvider time)
{
    private sealed record Counter(int Count, DateTimeOffset WindowStart);

    /// <summary>Counts one more; null while the count is within <paramref name="limit"/>, else how long until the window ends.</summary>
    public async Task<TimeSpan?> CountAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = Hash(key);
        var counter = (await db.Database.SqlQuery<Counter>($"""
            INSERT INTO rate_limits ("Key", "WindowStart", "Count") VALUES ({hash}, {now}, 1)
            ON CONFLICT ("Key") DO UPDATE SET
                "WindowStart" = CASE WHEN rate_limits."WindowStart" + {window} <= {now} THEN {now} ELSE rate_limits."WindowStart" END,
                "Count" = CASE WHEN rate_limits."WindowStart" + {window} <= {now} THEN 1 ELSE rate_limits."Count" + 1 END
            RETURNING "Count", "WindowStart"
            """).ToListAsync(cancellationToken)).Single();
        return counter.Count > limit ? Wait(counter, window, now) : null;
    }

    /// <summary>Whether <paramref name="limit"/> is reached in the current window, without counting; as <see cref="CountAsync"/>.</summary>
    public async Task<TimeSpan?> ReachedAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = Hash(key);
        var counter = await db.RateLimits.AsNoTracking()
            .Where(c => c.Key == hash && c.WindowStart > now - window && c.Count >= limit)
            .Select(c => new Counter(c.Count, c.WindowStart))
            .SingleOrDefaultAsync(cancellationToken);
        return counter is null ? null : Wait(counter, window, now);
    }

    public Task ResetAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        return db.RateLimits.Where(c => c.Key == hash).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Drops counters whose window ended before <paramref name="longestWindow"/> ago: they count nothing any more.</summary>
    public Task<int> DropStaleAsync(TimeSpan longestWindow, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - longestWindow;
        return db.RateLimits.Where(c => c.WindowStart < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private static TimeSpan Wait(Counter counter, TimeSpan window, DateTimeOffset now) =>
        counter.WindowStart + window - now is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
