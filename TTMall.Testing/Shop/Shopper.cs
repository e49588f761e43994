using TTMall.Users;

namespace TTMall.Testing.Shop;

/// <summary>A user signed up and in through the users service, with a client of it that sends their access token.</summary>
public sealed record Shopper(string Email, SessionTokens Tokens, HttpClient Http) : IDisposable
{
    public Guid Id => Tokens.User.Id;

    public void Dispose() => Http.Dispose();
}
