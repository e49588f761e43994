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
        RoleClaimType = MallUserClaims.RoleClaim,
    };
}
