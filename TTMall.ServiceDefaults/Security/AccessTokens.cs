using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TTMall.ServiceDefaults.Security;

/// <summary>
/// <c>Jwt:*</c>: the key every service checks access tokens with (an Aspire parameter, passed by the AppHost),
/// and who issues them for whom.
/// </summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";

    /// <summary>HMAC-SHA256 key, at least 32 bytes of UTF-8.</summary>
    public string SigningKey { get; set; } = "";
    public string Issuer { get; set; } = "ttmall-users";
    public string Audience { get; set; } = "ttmall";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public SymmetricSecurityKey Key()
    {
        var bytes = Encoding.UTF8.GetBytes(SigningKey);
        return bytes.Length >= 32
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException(
                $"{Section}:SigningKey must be at least 32 bytes (it is {bytes.Length}). The AppHost passes its 'jwt-signing-key' parameter; set it when running a service alone.");
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = Key(),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(5),
        NameClaimType = AccessTokens.NameClaim,
    };
}

/// <summary>A signed-in user as every service sees them: the claims inside an access token.</summary>
public sealed record MallUser(Guid Id, string Email, string DisplayName);

/// <summary>Access tokens: short-lived signed JWTs carrying the user's id (<c>sub</c>), e-mail and name.</summary>
public sealed class AccessTokens(IOptions<JwtOptions> options, TimeProvider time)
{
    public const string NameClaim = "name";

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
            SigningCredentials = new SigningCredentials(o.Key(), SecurityAlgorithms.HmacSha256),
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
