using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TTMall.Hosting;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public class AuthenticationTests(ProductsFixture products)
{
    public static TheoryData<string, string?> BadTokens()
    {
        var user = TestTokens.NewUser();
        var valid = TestTokens.For(user);
        var parts = valid.Split('.');
        // Same signature, someone else's id: the signature no longer matches.
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace(user.Id.ToString(), Guid.NewGuid().ToString());
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        var bad = new TheoryData<string, string?>
        {
            { "no token", null },
            { "garbage", "not-a-token" },
            { "tampered payload", tampered },
            { "signature cut off", $"{parts[0]}.{parts[1]}." },
            { "expired", Token(user, TestTokens.SigningKey, expires: DateTime.UtcNow.AddMinutes(-1)) },
            { "signed with another key", Token(user, AccessTokenKeys.NewSigningKey(), DateTime.UtcNow.AddMinutes(10)) },
            { "another audience", Token(user, TestTokens.SigningKey, DateTime.UtcNow.AddMinutes(10), audience: "someone-else") },
        };
        foreach (var kind in ForgedTokens.Kinds)
        {
            bad.Add(kind, ForgedTokens.Make(kind, user));
        }

        return bad;
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Writing_a_review_without_a_valid_token_is_401_and_writes_nothing(string why, string? token)
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("Cherry MX 机械键盘");
        var before = await anonymous.ProductAsync(id);
        using var http = products.Client(token);

        using var response = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 1, text = why });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before.ReviewCount, (await anonymous.ProductAsync(id)).ReviewCount);
    }

    [Fact]
    public async Task Reading_needs_no_token()
    {
        using var http = products.Client();
        var id = await http.IdOfAsync("Cherry MX 机械键盘");

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/products/{id}/reviews")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/products/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_valid_token_is_accepted()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 液态硅胶手机壳");
        var token = Token(TestTokens.NewUser("有效"), TestTokens.SigningKey, DateTime.UtcNow.AddMinutes(10));
        using var http = products.Client(token);

        using var response = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 4, text = "手感好" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>A token like the users service makes, with the expiry and audience chosen by the test.</summary>
    private static string Token(MallUser user, string key, DateTime expires, string? audience = null)
    {
        var options = new JwtOptions { SigningKey = key };
        var issuedAt = expires.AddMinutes(-15);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = audience ?? options.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            SigningCredentials = new SigningCredentials(options.Key(), SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = user.Id.ToString(),
                [JwtRegisteredClaimNames.Email] = user.Email,
                [AccessTokens.NameClaim] = user.DisplayName,
            },
        });
    }
}
