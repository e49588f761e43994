using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TTMall.Data;
using TTMall.Users.Data;

namespace TTMall.Users;

/// <summary>
/// Sign-up that tells no one but the address's owner whether the address is taken: every well-formed sign-up gets the
/// same answer, and what happens next is said by mail (<see cref="OutgoingMail"/>). A new address gets a code to
/// confirm it, and its account signs in only once it is confirmed; the owner of a taken address gets a notice that
/// someone tried. A sign-up for an address not yet confirmed replaces the earlier one (its password and name) and
/// mails a new code: only whoever reads that mailbox can finish it, so nobody can squat an address.
/// </summary>
public sealed class SignUps(UsersDbContext db, IPasswordHasher<User> hasher, RateLimits limits, IOptions<UsersOptions> options, TimeProvider time)
{
    public async Task SignUpAsync(string email, string password, string displayName, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var normalized = UserRules.NormalizeEmail(email);
        var now = time.GetUtcNow();
        var code = RandomNumberGenerator.GetInt32(100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        // Hashed whatever follows, so a taken address takes as long to answer as a new one.
        var passwordHash = hasher.HashPassword(null!, password);
        var mayMail = await limits.CountAsync($"sign-up-mail|{normalized}", o.SignUpMailsPerEmail, o.SignUpWindow, cancellationToken) is null;

        try
        {
            await db.InTransactionAsync(async ct =>
            {
                var user = (await db.Users.FromSql($"SELECT * FROM users WHERE \"NormalizedEmail\" = {normalized} FOR UPDATE").ToListAsync(ct)).SingleOrDefault();
                if (user is { ConfirmedAt: not null })
                {
                    if (mayMail)
                    {
                        Mail(user.Email, "Someone tried to sign up with your address",
                            "Someone asked to open a TT Mall account with this address, which already has one: yours. "
                            + "Nothing was changed. If it was you, sign in instead; if not, you need do nothing.", now);
                    }
                }
                else
                {
                    if (user is null)
                    {
                        user = new User
                        {
                            Id = Guid.CreateVersion7(now), Email = email, NormalizedEmail = normalized,
                            DisplayName = displayName, PasswordHash = "", CreatedAt = now,
                        };
                        db.Users.Add(user);
                    }

                    user.Email = email;
                    user.DisplayName = displayName;
                    user.PasswordHash = passwordHash;
                    user.ConfirmationCodeHash = Hash(code);
                    user.ConfirmationExpiresAt = now + o.ConfirmationCodeLifetime;
                    user.ConfirmationAttempts = 0;
                    if (mayMail)
                    {
                        Mail(email, "Your TT Mall confirmation code",
                            $"Your confirmation code is {code}. It is good for {o.ConfirmationCodeLifetime.TotalHours:0} hours. "
                            + "If you did not sign up, ignore this mail: no account opens without the code.", now);
                    }
                }

                await db.SaveChangesAsync(ct);
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Two sign-ups of one new address raced and the other one won: the address is taken, which is not said.
        }
    }

    /// <summary>The confirmed account, or null when the e-mail, the code or its time is wrong (the three are not told apart).</summary>
    public Task<User?> ConfirmAsync(string email, string code, CancellationToken cancellationToken)
    {
        var normalized = UserRules.NormalizeEmail(email);
        return db.InTransactionAsync<User?>(async ct =>
        {
            var user = (await db.Users.FromSql($"SELECT * FROM users WHERE \"NormalizedEmail\" = {normalized} FOR UPDATE").ToListAsync(ct)).SingleOrDefault();
            var now = time.GetUtcNow();
            if (user is not { ConfirmedAt: null, ConfirmationCodeHash: { } expected } || user.ConfirmationExpiresAt <= now)
            {
                return null;
            }

            if (!CryptographicOperations.FixedTimeEquals(expected, Hash(code)))
            {
                // Eight digits and a few tries: guessing succeeds about once in twenty million codes.
                user.ConfirmationAttempts++;
                if (user.ConfirmationAttempts >= options.Value.ConfirmationAttempts)
                {
                    user.ConfirmationCodeHash = null;
                }

                await db.SaveChangesAsync(ct);
                return null;
            }

            user.ConfirmedAt = now;
            user.ConfirmationCodeHash = null;
            user.ConfirmationExpiresAt = null;
            await db.SaveChangesAsync(ct);
            return user;
        }, cancellationToken);
    }

    private void Mail(string to, string subject, string body, DateTimeOffset now) =>
        db.MailOutbox.Add(new OutgoingMail { Id = Guid.CreateVersion7(now), To = to, Subject = subject, Body = body, CreatedAt = now });

    private static byte[] Hash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code));
}
