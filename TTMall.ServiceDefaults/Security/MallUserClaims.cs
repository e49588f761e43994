using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace TTMall.ServiceDefaults.Security;

public static class MallUserClaims
{
    /// <summary>The claim naming the user's role; absent for a shopper, who is what every account is unless made otherwise.</summary>
    public const string RoleClaim = "role";

    /// <summary>The role of the mall's staff.</summary>
    public const string StaffRole = "staff";

    /// <summary>The signed-in user, or null for an anonymous request.</summary>
    public static MallUser? MallUser(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? new MallUser(
                id,
                principal.FindFirstValue(JwtRegisteredClaimNames.Email) ?? "",
                principal.FindFirstValue(AccessTokens.NameClaim) ?? "",
                principal.HasClaim(RoleClaim, StaffRole))
            : null;
}
