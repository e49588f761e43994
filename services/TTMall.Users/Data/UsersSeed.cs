using TTMall.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace TTMall.Users.Data;

/// <summary>
/// The mall's own accounts: the demo shopper demo@ttmall.local and the staff account staff@ttmall.local, each existing
/// only when its password is configured (<c>Users:DemoPassword</c>, <c>Users:StaffPassword</c>, meant to be Aspire
/// secret parameters): a password written in code would be a password everyone knows. Runs on every start under the
/// migration lock.
/// </summary>
public static class UsersSeed
{
    public const string DemoEmail = "demo@ttmall.local";
    public const string DemoDisplayName = "TT 演示用户";
    public const string StaffEmail = "staff@ttmall.local";
    public const string StaffDisplayName = "TT 猫店员";

    /// <param name="setting">Reads a <c>Users:*</c> setting by name, when the seed runs (not when it is registered).</param>
    public static Func<UsersDbContext, CancellationToken, Task> Accounts(Func<string, string?> setting, TimeProvider time) =>
        async (db, cancellationToken) =>
        {
            if (setting(nameof(UsersOptions.DemoPassword)) is { Length: > 0 } demoPassword)
            {
                await EnsureAccountAsync(db, DemoEmail, DemoDisplayName, isStaff: false, demoPassword, nameof(UsersOptions.DemoPassword), time, cancellationToken);
            }

            if (setting(nameof(UsersOptions.StaffPassword)) is { Length: > 0 } staffPassword)
            {
                await EnsureAccountAsync(db, StaffEmail, StaffDisplayName, isStaff: true, staffPassword, nameof(UsersOptions.StaffPassword), time, cancellationToken);
            }
        };

    private static async Task EnsureAccountAsync(
        UsersDbContext db, string email, string displayName, bool isStaff, string password, string setting, TimeProvider time, CancellationToken cancellationToken)
    {
        var policy = new FieldErrors();
        policy.NewPassword("password", password);
        if (policy.Any)
        {
            throw new InvalidOperationException(
                $"{UsersOptions.Section}:{setting} does not meet the password policy ({UserRules.PasswordMinLength} to {UserRules.PasswordMaxLength} characters with a letter and a digit).");
        }

        var hasher = new PasswordHasher<User>();
        var normalized = UserRules.NormalizeEmail(email);
        var now = time.GetUtcNow();
        var account = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (account is null)
        {
            account = new User
            {
                Id = Guid.CreateVersion7(now),
                Email = email,
                NormalizedEmail = normalized,
                DisplayName = displayName,
                PasswordHash = "",
                CreatedAt = now,
                ConfirmedAt = now,
                IsStaff = isStaff,
            };
            account.PasswordHash = hasher.HashPassword(account, password);
            db.Users.Add(account);
        }
        else if (account.IsStaff != isStaff
            || account.ConfirmedAt is null
            || hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            // The configured password is the account's password (the parameter was changed, or someone signed up with
            // the address before it was configured). Sessions begun with another password, by whoever that was, end
            // here: a refresh would otherwise hand them tokens of what the account is now, staff included.
            account.PasswordHash = hasher.HashPassword(account, password);
            if (account.IsStaff != isStaff)
            {
                // The account changes hands with its role: nothing of whoever had it before stays with it.
                account.IsStaff = isStaff;
                account.DisplayName = displayName;
                account.Phone = null;
                await db.Addresses.Where(a => a.UserId == account.Id).ExecuteDeleteAsync(cancellationToken);
            }

            account.ConfirmedAt ??= now;
            account.ConfirmationCodeHash = null;
            account.ConfirmationExpiresAt = null;
            await db.RefreshTokens
                .Where(t => t.UserId == account.Id && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
