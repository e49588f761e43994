namespace TTMall.ServiceDefaults.Security;

/// <summary>
/// A signed-in user as every service sees them: the claims inside an access token. <paramref name="IsStaff"/>: the
/// mall's own staff, who may change the catalog (the <see cref="MallAuthenticationExtensions.StaffPolicy"/> policy);
/// set only from the users service's own record of the account, never from anything the user sends.
/// </summary>
public sealed record MallUser(Guid Id, string Email, string DisplayName, bool IsStaff = false);
