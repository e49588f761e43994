using TTMall.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace TTMall.Users.Data;

/// <summary>
/// The demo account, demo@ttmall.local, exists only when its password is configured (<c>Users:DemoPassword</c>,
/// meant to be an Aspire secret parameter): a password written in code would be a password everyone knows.
/// Runs on every start under the migration lock.
/// </summary>
public static class UsersSeed
{
    public const string DemoEmail = "demo@ttmall.local";
    public const string DemoDisplayName = "TT 演示用户";

    public static Func<UsersDbContext, CancellationToken, Task> DemoAccount(Func<string?> password, TimeProvider time) =>
        (db, cancellationToken) => password() is { Length: > 0 } demoPassword
            ? EnsureDemoAccountAsync(db, demoPassword, time, cancellationToken)
            : Task.CompletedTask;

    private static async Task EnsureDemoAccountAsync(UsersDbContext db, string password, TimeProvider time, CancellationToken cancellationToken)
    {
        var policy = new FieldErrors();
        policy.NewPassword("password", password);
        if (policy.Any)
        {
            throw new InvalidOperationException(
                $"{UsersOptions.Section}:DemoPassword does not meet the password policy ({UserRules.PasswordMinLength} to {UserRules.PasswordMaxLength} characters with a letter and a digit).");
        }

        var hasher = new PasswordHasher<User>();
        var normalized = UserRules.NormalizeEmail(DemoEmail);
        var demo = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (demo is null)
        {
            var now = time.GetUtcNow();
            demo = new User
            {
                Id = Guid.CreateVersion7(now),
                Email = DemoEmail,
                NormalizedEmail = normalized,
                DisplayName = DemoDisplayName,
                PasswordHash = "",
                CreatedAt = now,
                ConfirmedAt = now,
            };
            demo.PasswordHash = hasher.HashPassword(demo, password);
            db.Users.Add(demo);
        }
        else if (hasher.VerifyHashedPassword(demo, demo.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            // The parameter was changed: the configured password is the demo password.
            demo.PasswordHash = hasher.HashPassword(demo, password);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
