namespace TTMall.ServiceDefaults.Security;

/// <summary>A signed-in user as every service sees them: the claims inside an access token.</summary>
public sealed record MallUser(Guid Id, string Email, string DisplayName);
