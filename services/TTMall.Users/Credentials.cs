using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TTMall.Users.Data;

namespace TTMall.Users;

/// <summary>Checks an e-mail and password. How often one may try is <see cref="SignInThrottle"/>'s business.</summary>
public sealed class Credentials(UsersDbContext db, IPasswordHasher<User> hasher)
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

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        // An address not yet confirmed may be someone else's: its account is as good as unknown until it is.
        if (verdict == PasswordVerificationResult.Failed || user.ConfirmedAt is null)
        {
            return new SignInCheck.Wrong();
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }

        return new SignInCheck.Success(user);
    }
}
