using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace TTMall.ServiceDefaults.Security;

public static class MallUserClaims
{
    /// <summary>The signed-in user, or null for an anonymous request.</summary>
    public static MallUser? MallUser(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? new MallUser(id, principal.FindFirstValue(JwtRegisteredClaimNames.Email) ?? "", principal.FindFirstValue(AccessTokens.NameClaim) ?? "")
            : null;
}
