using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TTMall.Hosting;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Carts.Tests;

/// <summary>
/// Carts accepts only access tokens signed ES256 by the users service's key: not one another key signed, not one
/// made with what another service (products) holds, and, across a key rotation, the previous key's only until it
/// is retired.
/// </summary>
[Collection(CartsCollection.Name)]
public class TokenKeyTests(CartsMall mall)
{
    [Theory]
    [MemberData(nameof(ForgedTokens.EveryKind), MemberType = typeof(ForgedTokens))]
    public async Task A_forged_token_is_401(string kind)
    {
        using var shopper = mall.Client(ForgedTokens.Make(kind, TestTokens.NewUser()));

        using var response = await shopper.GetAsync(CartHttp.Cart);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Products_holds_no_key_it_could_sign_a_token_with()
    {
        var products = mall.Products.Services;
        var held = products.GetRequiredService<IOptions<JwtOptions>>().Value;

        // Products is given the public keys only: nothing to sign with, and no token signer at all.
        Assert.Null(products.GetService<AccessTokens>());
        Assert.Equal("", held.SigningKey);
        Assert.All(held.VerificationKeys(), k => Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => k.ECDsa.ExportECPrivateKey()));
        var user = TestTokens.NewUser();
        Assert.Throws<InvalidOperationException>(() => new AccessTokens(Options.Create(held), TimeProvider.System).Create(user));
        Assert.Throws<InvalidOperationException>(() => TokenKeys.ReadSigningKey(
            System.Text.Json.Nodes.JsonNode.Parse(held.PublicKeys)!["keys"]![0]!.ToJsonString(), "products' public key"));

        // What it can make from them (HS256 keyed with the public key in every form it holds) carts refuses.
        foreach (var kind in ForgedTokens.Kinds.Where(k => k.Contains("HS256", StringComparison.Ordinal)))
        {
            using var forger = mall.Client(ForgedTokens.Make(kind, user));
            Assert.Equal(HttpStatusCode.Unauthorized, (await forger.GetAsync(CartHttp.Cart)).StatusCode);
        }
    }

    [Fact]
    public async Task After_a_rotation_the_previous_keys_tokens_work_until_it_is_retired()
    {
        var user = TestTokens.NewUser("rotated");
        var signedBefore = TestTokens.For(user);
        var newKey = AccessTokenKeys.NewSigningKey("next-key");
        var signedAfter = new AccessTokens(Options.Create(new JwtOptions { SigningKey = newKey }), TimeProvider.System).Create(user).Token;

        // Rotated: the new key signs, the previous one is still published.
        await using (var rotated = mall.StartCarts(settings: Keys(AccessTokenKeys.PublicKeySet(newKey, TestTokens.SigningKey))))
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(rotated, signedBefore));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(rotated, signedAfter));
        }

        // Retired: the previous key is no longer published, and what it signed is refused.
        await using var retired = mall.StartCarts(settings: Keys(AccessTokenKeys.PublicKeySet(newKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(retired, signedBefore));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(retired, signedAfter));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"keys":[]}""")]
    [InlineData("""{"keys":[{"kty":"oct","kid":"k","k":"c2VjcmV0"}]}""")]
    [InlineData("""{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]}""")]
    public void A_service_given_no_usable_public_key_does_not_start(string publicKeys)
    {
        var e = Assert.ThrowsAny<Exception>(() => mall.StartCarts(settings: Keys(publicKeys)));

        Assert.Contains("Jwt:PublicKeys", e.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Keys(string publicKeys) => new() { [$"{JwtOptions.Section}:PublicKeys"] = publicKeys };

    private async Task<HttpStatusCode> StatusAsync(MallServiceHost<CartStore> carts, string token)
    {
        using var http = mall.Client(token, carts);
        return (await http.GetAsync(CartHttp.Cart)).StatusCode;
    }
}
