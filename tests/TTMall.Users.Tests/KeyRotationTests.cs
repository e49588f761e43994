using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using TTMall.Hosting;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Users.Tests;

/// <summary>
/// Users signs access tokens ES256 with its private key, naming it by kid. Rotating the key signs no one out:
/// tokens of the previous key keep working while it is still published, and sessions go on through refresh.
/// </summary>
[Collection(UsersCollection.Name)]
public sealed class KeyRotationTests(UsersServiceFixture users)
{
    private const string SigningKey = $"{JwtOptions.Section}:SigningKey";
    private const string PublicKeys = $"{JwtOptions.Section}:PublicKeys";

    [Fact]
    public async Task Access_tokens_are_signed_ES256_and_name_their_key()
    {
        using var shopper = await users.Service.NewShopperAsync();

        var header = Header(shopper.Tokens.AccessToken);

        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal(TestTokens.KeyId, header.GetProperty("kid").GetString());
    }

    [Fact]
    public async Task After_a_rotation_the_previous_keys_tokens_work_until_it_is_retired_and_no_one_is_signed_out()
    {
        using var shopper = await users.Service.NewShopperAsync("rotated");
        var before = shopper.Tokens;
        var next = AccessTokenKeys.NewSigningKey("next-key");

        // Rotated: the new key signs; the previous key's public half is still published.
        SessionTokens after;
        await using (var rotated = users.StartReplica((SigningKey, next), (PublicKeys, AccessTokenKeys.PublicKeySet(TestTokens.SigningKey))))
        {
            Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(rotated, before.AccessToken));
            using var http = rotated.CreateClient();
            after = await (await http.RefreshAsync(before.RefreshToken)).TokensAsync();
            Assert.Equal("next-key", Header(after.AccessToken).GetProperty("kid").GetString());
            Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(rotated, after.AccessToken));
        }

        // Retired, once the previous key's tokens have expired: what it signed is refused, the new key's is not.
        await using var retired = users.StartReplica((SigningKey, next), (PublicKeys, AccessTokenKeys.PublicKeySet(next)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(retired, before.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(retired, after.AccessToken));
    }

    [Fact]
    public void Users_does_not_start_without_a_private_key_to_sign_with()
    {
        var publicOnly = JsonDocument.Parse(TestTokens.PublicKeys).RootElement.GetProperty("keys")[0].GetRawText();

        Assert.Contains(SigningKey, Assert.ThrowsAny<Exception>(() => users.StartReplica((SigningKey, ""))).ToString(), StringComparison.Ordinal);
        Assert.Contains(SigningKey, Assert.ThrowsAny<Exception>(() => users.StartReplica((SigningKey, publicOnly))).ToString(), StringComparison.Ordinal);
    }

    private static JsonElement Header(string jwt) => JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[0])).RootElement;

    private static async Task<HttpStatusCode> StatusOfMeAsync(MallServiceHost<Data.UsersDbContext> service, string accessToken)
    {
        using var http = service.AuthorizedClient(accessToken);
        return (await http.GetAsync("/api/users/me")).StatusCode;
    }
}
