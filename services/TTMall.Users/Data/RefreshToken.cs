namespace TTMall.Users.Data;

/// <summary>
/// One refresh token of a session. Only its SHA-256 hash is stored: the token is 256 random bits, so a fast hash
/// is enough to make a stolen table useless. Each refresh revokes the token and adds its successor to the same
/// family; a revoked token presented again means someone kept a copy, and the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }

    /// <summary>The session: every token descended from one sign-in.</summary>
    public Guid FamilyId { get; set; }

    public required byte[] TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the session ends, however often it is refreshed: its sign-in plus <c>Users:SessionLifetime</c>.</summary>
    public DateTimeOffset SessionExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
