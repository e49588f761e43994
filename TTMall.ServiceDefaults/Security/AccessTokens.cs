using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TTMall.ServiceDefaults.Security;

/// <summary>
/// Access tokens: short-lived JWTs carrying the user's id (<c>sub</c>), e-mail, name and, for staff only, a
/// <c>role</c>, signed ES256 with the users service's private key and naming it by <c>kid</c>. Only where
/// <see cref="JwtOptions.SigningKey"/> is set.
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
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = user.Id.ToString(),
            [JwtRegisteredClaimNames.Email] = user.Email,
            [NameClaim] = user.DisplayName,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (user.IsStaff)
        {
            claims[MallUserClaims.RoleClaim] = MallUserClaims.StaffRole;
        }

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = Credentials,
            Claims = claims,
        });
        return (token, expires);
    }
}
