using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TTMall.Users.Data;

namespace TTMall.Users;

public abstract record SignInCheck
{
    public sealed record Success(User User) : SignInCheck;
    public sealed record Wrong : SignInCheck;
    public sealed record Locked(DateTimeOffset Until) : SignInCheck;
}

/// <summary>
/// Checks an e-mail and password, counting wrong passwords in the database: every replica sees the same count
/// and the same lock, and the count is changed by single UPDATE statements so replicas racing on one account
/// neither lose a failure nor let one through a lock.
/// </summary>
public sealed class Credentials(UsersDbContext db, IPasswordHasher<User> hasher, IOptions<UsersOptions> options, TimeProvider time)
{
    /// <summary>
    /// An unknown e-mail still costs one hash verification, so its answer takes as long as a wrong password's.
    /// </summary>
    private static readonly User Nobody = new() { Email = "", NormalizedEmail = "", DisplayName = "", PasswordHash = "" };
    private static string? s_nobodysHash;

    public async Task<SignInCheck> CheckAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = UserRules.NormalizeEmail(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null)
        {
            s_nobodysHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
            hasher.VerifyHashedPassword(Nobody, s_nobodysHash, password);
            return new SignInCheck.Wrong();
        }

        var now = time.GetUtcNow();
        if (user.LockedUntil > now)
        {
            return new SignInCheck.Locked(user.LockedUntil.Value);
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return await CountFailureAsync(user.Id, now, cancellationToken);
        }

        // Only while unlocked: a lock set by a concurrent failure on another replica wins over this success.
        var cleared = await db.Users
            .Where(u => u.Id == user.Id && (u.LockedUntil == null || u.LockedUntil <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, 0).SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), cancellationToken);
        if (cleared == 0)
        {
            return await LockedOrWrongAsync(user.Id, now, cancellationToken);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }

        return new SignInCheck.Success(user);
    }

    private async Task<SignInCheck> CountFailureAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxFailedSignIns;
        DateTimeOffset? lockUntil = now + options.Value.LockoutDuration;
        // The count restarts when the lock is set, so after the lock the account gets the full number of tries again.
        await db.Users
            .Where(u => u.Id == userId && (u.LockedUntil == null || u.LockedUntil <= now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1 >= limit ? 0 : u.FailedSignIns + 1)
                .SetProperty(u => u.LockedUntil, u => u.FailedSignIns + 1 >= limit ? lockUntil : u.LockedUntil), cancellationToken);
        return await LockedOrWrongAsync(userId, now, cancellationToken);
    }

    private async Task<SignInCheck> LockedOrWrongAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lockedUntil = await db.Users.Where(u => u.Id == userId).Select(u => u.LockedUntil).SingleAsync(cancellationToken);
        return lockedUntil > now ? new SignInCheck.Locked(lockedUntil.Value) : new SignInCheck.Wrong();
    }
}
