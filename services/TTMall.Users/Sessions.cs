using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TTMall.Data;
using TTMall.ServiceDefaults.Security;
using TTMall.Users.Data;

namespace TTMall.Users;

/// <summary>Sign-in sessions: a family of refresh tokens, each used once (see <see cref="RefreshToken"/>).</summary>
public sealed class Sessions(UsersDbContext db, AccessTokens accessTokens, IOptions<UsersOptions> options, TimeProvider time)
{
    /// <summary>Base64url of 256 bits is 43 characters; anything much longer is not one of ours.</summary>
    public const int RefreshTokenMaxLength = 100;

    public async Task<SessionTokens> StartAsync(User user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Expired tokens are of no use to anyone; the user's own sign-in is a cheap moment to drop them.
        await db.RefreshTokens.Where(t => t.UserId == user.Id && t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var (token, stored) = NewRefreshToken(user.Id, Guid.CreateVersion7(now), now + options.Value.SessionLifetime, now);
        db.RefreshTokens.Add(stored);
        await db.SaveChangesAsync(cancellationToken);
        return Tokens(user, token, stored);
    }

    /// <summary>The next tokens of the session, or null when the token is unknown, expired or already used.</summary>
    public Task<SessionTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        db.InTransactionAsync<SessionTokens?>(async ct =>
        {
            var hash = Hash(refreshToken);
            var presented = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
            if (presented is null)
            {
                return null;
            }

            var now = time.GetUtcNow();
            if (presented.RevokedAt is not null)
            {
                await RevokeFamilyAsync(presented.FamilyId, now, ct);
                return null;
            }

            if (presented.ExpiresAt <= now)
            {
                return null;
            }

            // A concurrent refresh with the same token waits here for the first and then finds it revoked: the
            // token was used twice, which is what a copied token looks like.
            var claimed = await db.RefreshTokens
                .Where(t => t.Id == presented.Id && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
            if (claimed == 0)
            {
                await RevokeFamilyAsync(presented.FamilyId, now, ct);
                return null;
            }

            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == presented.UserId, ct);
            var (token, next) = NewRefreshToken(user.Id, presented.FamilyId, presented.SessionExpiresAt, now);
            db.RefreshTokens.Add(next);
            await db.SaveChangesAsync(ct);
            return Tokens(user, token, next);
        }, cancellationToken);

    /// <summary>Ends the session the token belongs to, whichever of its tokens it is; unknown tokens end nothing.</summary>
    public async Task EndAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = Hash(refreshToken);
        var familyId = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).SingleOrDefaultAsync(cancellationToken);
        if (familyId is { } family)
        {
            await RevokeFamilyAsync(family, time.GetUtcNow(), cancellationToken);
        }
    }

    private Task RevokeFamilyAsync(Guid familyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokens
            .Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);

    /// <summary>Ends every session of the user: signing out everywhere, as after a lost phone or a changed password.</summary>
    public Task EndAllAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.RefreshTokens
            .Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
    }

    private (string Token, RefreshToken Stored) NewRefreshToken(Guid userId, Guid familyId, DateTimeOffset sessionExpiresAt, DateTimeOffset now)
    {
        var expiresAt = now + options.Value.RefreshTokenLifetime;
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, new RefreshToken
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            FamilyId = familyId,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = expiresAt < sessionExpiresAt ? expiresAt : sessionExpiresAt,
            SessionExpiresAt = sessionExpiresAt,
        });
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private SessionTokens Tokens(User user, string refreshToken, RefreshToken stored)
    {
        var (accessToken, expiresAt) = accessTokens.Create(new MallUser(user.Id, user.Email, user.DisplayName, user.IsStaff));
        return new SessionTokens("Bearer", accessToken, expiresAt, refreshToken, stored.ExpiresAt, UserProfile.From(user));
    }
}
