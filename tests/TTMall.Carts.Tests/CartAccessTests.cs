using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Carts.Tests;

/// <summary>A cart is its owner's alone: the owner is the access token's user, and nothing else can name a cart.</summary>
[Collection(CartsCollection.Name)]
public class CartAccessTests(CartsMall mall)
{
    public static TheoryData<string, string> EveryOperation => new()
    {
        { "GET", CartHttp.Cart },
        { "DELETE", CartHttp.Cart },
        { "POST", CartHttp.Items },
        { "PUT", $"{CartHttp.Items}/1" },
        { "DELETE", $"{CartHttp.Items}/1" },
    };

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task Without_a_token_every_operation_is_401(string method, string path)
    {
        using var anonymous = mall.Client(token: null);

        using var response = await anonymous.SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task An_expired_token_is_401(string method, string path)
    {
        var user = TestTokens.NewUser();
        var anHourAgo = new FixedTime(DateTimeOffset.UtcNow.AddHours(-1));
        var expired = new AccessTokens(Options.Create(new JwtOptions { SigningKey = TestTokens.SigningKey }), anHourAgo).Create(user).Token;
        using var shopper = mall.Client(expired);

        using var response = await shopper.SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_whose_user_was_changed_or_that_another_key_signed_is_401()
    {
        var victim = TestTokens.NewUser("victim");
        var product = await mall.Catalog.AddAsync(7.00m);
        using (var owner = mall.Client(TestTokens.For(victim)))
        {
            await owner.AddOkAsync(product, 1);
        }

        var thief = TestTokens.NewUser("thief");
        var forged = WithSubject(TestTokens.For(thief), victim.Id);
        var otherKey = new AccessTokens(
            Options.Create(new JwtOptions { SigningKey = TTMall.Hosting.AccessTokenKeys.NewSigningKey() }),
            TimeProvider.System).Create(victim).Token;
        foreach (var token in new[] { forged, otherKey, "not-a-jwt", TestTokens.For(victim)[..^4] + "AAAA" })
        {
            using var client = mall.Client(token);
            using var read = await client.GetAsync(CartHttp.Cart);
            using var cleared = await client.DeleteAsync(CartHttp.Cart);
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (read.StatusCode, cleared.StatusCode));
        }

        using var victimAgain = mall.Client(TestTokens.For(victim));
        Assert.Equal(1, (await victimAgain.GetCartAsync()).Line(product).Quantity);
    }

    [Fact]
    public async Task One_shopper_can_never_see_or_change_anothers_cart()
    {
        var a = TestTokens.NewUser("a");
        var product = await mall.Catalog.AddAsync(50.00m);
        var another = await mall.Catalog.AddAsync(60.00m);
        using var shopperA = mall.Client(TestTokens.For(a));
        using var shopperB = mall.NewShopper();
        await shopperA.AddOkAsync(product, 2);

        Assert.Empty((await shopperB.GetCartAsync()).Lines);
        await shopperB.AddOkAsync(product, 5);
        await shopperB.AddOkAsync(another, 1);
        Assert.Equal(HttpStatusCode.OK, (await shopperB.SetAsync(product, 9)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await shopperB.RemoveAsync(product)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await shopperB.ClearAsync()).StatusCode);
        // No route takes a user: naming A's cart finds nothing.
        foreach (var path in new[] { $"/api/carts/{a.Id}", $"/api/carts/{a.Id}/items", $"/api/carts/me/{a.Id}", $"/api/carts?userId={a.Id}" })
        {
            using var response = await shopperB.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var cartA = await shopperA.GetCartAsync();
        Assert.Equal([(product, 2)], cartA.Lines.Select(l => (l.ProductId, l.Quantity)));
        Assert.Equal(100.00m, cartA.Total);
        Assert.Empty((await shopperB.GetCartAsync()).Lines);
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path)
        {
            Content = method is "POST" or "PUT" ? new StringContent("""{"productId": 1, "quantity": 1}""", Encoding.UTF8, "application/json") : null,
        };

    /// <summary>The token with its payload's <c>sub</c> replaced and the original signature kept.</summary>
    private static string WithSubject(string token, Guid subject)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlDecode(parts[1]))!.AsObject();
        payload["sub"] = subject.ToString();
        parts[1] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return string.Join('.', parts);
    }

    private static string Base64UrlDecode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
