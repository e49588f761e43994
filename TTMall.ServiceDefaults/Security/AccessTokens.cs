using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TTMall.ServiceDefaults.Security;

/// <summary>
/// <c>Jwt:*</c>: the keys access tokens are checked with (passed by the AppHost), the users service's signing
/// key, and who issues them for whom.
/// </summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";

    /// <summary>
    /// Only the users service: the private key new access tokens are signed with (ES256), a JWK with a kid.
    /// No other service is given one, so no other service can mint a token.
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// The public keys tokens are checked with, a JWK set (<c>{"keys":[…]}</c>): the current signing key's and,
    /// during a rotation, the previous one's until the tokens it signed have expired.
    /// </summary>
    public string PublicKeys { get; set; } = "";
    public string Issuer { get; set; } = "ttmall-users";
    public string Audience { get; set; } = "ttmall";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public ECDsaSecurityKey Key() =>
        SigningKey is { Length: > 0 }
            ? TokenKeys.ReadSigningKey(SigningKey, $"{Section}:SigningKey")
            : throw new InvalidOperationException(
                $"{Section}:SigningKey is not set: only the users service signs access tokens, with the key the AppHost gives it.");

    /// <summary>The public keys in <see cref="PublicKeys"/>, and the signing key's own when there is one.</summary>
    public IReadOnlyList<ECDsaSecurityKey> VerificationKeys()
    {
        var keys = PublicKeys is { Length: > 0 } ? TokenKeys.ReadPublicKeys(PublicKeys, $"{Section}:PublicKeys").ToList() : [];
        if (SigningKey is { Length: > 0 })
        {
            var own = Key();
            keys.RemoveAll(k => k.KeyId == own.KeyId);
            keys.Add(own);
        }

        return keys.Count > 0
            ? keys
            : throw new InvalidOperationException(
                $"{Section}:PublicKeys is not set: the AppHost passes the users service's public keys; set them when running a service alone.");
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKeys = VerificationKeys(),
        // Only ES256: "none", HS256 (even keyed with a public key's bytes) and every other algorithm are refused.
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        // A token names its key by kid; one without a kid, or with a kid not configured, is refused.
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromSeconds(5),
        NameClaimType = AccessTokens.NameClaim,
    };
}

/// <summary>A signed-in user as every service sees them: the claims inside an access token.</summary>
public sealed record MallUser(Guid Id, string Email, string DisplayName);

/// <summary>
/// Access tokens: short-lived JWTs carrying the user's id (<c>sub</c>), e-mail and name, signed ES256 with the
/// users service's private key and naming it by <c>kid</c>. Only where <see cref="JwtOptions.SigningKey"/> is set.
/// </summary>
public sealed class AccessTokens(IOptions<JwtOptions> options, TimeProvider time)
{
    public const string NameClaim = "name";

    // Read once: parsing the key on every sign-in would be wasted work (a race only builds it twice).
    private SigningCredentials Credentials => field ??= new SigningCredentials(options.Value.Key(), SecurityAlgorithms.EcdsaSha256);

    public (string Token, DateTimeOffset ExpiresAt) Create(MallUser user)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var expires = now + o.AccessTokenLifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = Credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = user.Id.ToString(),
                [JwtRegisteredClaimNames.Email] = user.Email,
                [NameClaim] = user.DisplayName,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
        return (token, expires);
    }
}

public static class MallUserClaims
{
    /// <summary>The signed-in user, or null for an anonymous request.</summary>
    public static MallUser? MallUser(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? new MallUser(id, principal.FindFirstValue(JwtRegisteredClaimNames.Email) ?? "", principal.FindFirstValue(AccessTokens.NameClaim) ?? "")
            : null;
}
