namespace TTMall.Users;

/// <summary>What a client holds while signed in: a short-lived access token for every service, and a refresh token for this one.</summary>
public sealed record SessionTokens(
    string TokenType,
    string AccessToken,
    DateTimeOffset AccessTokenExpiresAt,
    string RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    UserProfile User);
