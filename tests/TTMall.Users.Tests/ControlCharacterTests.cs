using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TTMall.Users.Tests;

/// <summary>
/// No text field of any endpoint takes a control character or a lone surrogate: 400 naming the field, and nothing
/// written. The strings below are JSON escapes, as a client sends them.
/// </summary>
[Collection(UsersCollection.Name)]
public sealed class ControlCharacterTests(UsersServiceFixture users)
{
    /// <summary>Each spoils a value that is otherwise good; the last one is a lone surrogate, which JSON lets through as an escape.</summary>
    private static readonly string[] Spoilers = [@"\u0000", @"\u0007", @"\u001b", @"\u007f", @"\u0085", @"\ud800"];

    [Theory]
    [InlineData("email")]
    [InlineData("password")]
    [InlineData("displayName")]
    public async Task Registration(string field)
    {
        using var http = users.Service.CreateClient();
        foreach (var spoiler in Spoilers)
        {
            var email = UsersHttp.NewEmail("cc");
            var body = new Dictionary<string, string> { ["email"] = email, ["password"] = UsersHttp.Password, ["displayName"] = "小明" };

            await ProblemAssert.FieldErrorsAsync(await http.SendJsonAsync(HttpMethod.Post, "/api/users", Json(body, field, spoiler)), field);

            await users.Service.SignUpAsync(email);
        }
    }

    [Theory]
    [InlineData("email")]
    [InlineData("password")]
    public async Task Sign_in(string field)
    {
        using var shopper = await users.Service.NewShopperAsync();
        using var http = users.Service.CreateClient();
        foreach (var spoiler in Spoilers)
        {
            var body = new Dictionary<string, string> { ["email"] = shopper.Email, ["password"] = UsersHttp.Password };

            await ProblemAssert.FieldErrorsAsync(await http.SendJsonAsync(HttpMethod.Post, "/api/users/sessions", Json(body, field, spoiler)), field);
        }
    }

    [Theory]
    [InlineData("POST", "/api/users/sessions/refresh")]
    [InlineData("DELETE", "/api/users/sessions")]
    public async Task Refresh_tokens(string method, string path)
    {
        using var shopper = await users.Service.NewShopperAsync();
        using var http = users.Service.CreateClient();
        foreach (var spoiler in Spoilers)
        {
            var body = new Dictionary<string, string> { ["refreshToken"] = shopper.Tokens.RefreshToken };

            await ProblemAssert.FieldErrorsAsync(await http.SendJsonAsync(new HttpMethod(method), path, Json(body, "refreshToken", spoiler)), "refreshToken");
        }

        Assert.Equal(HttpStatusCode.OK, (await http.RefreshAsync(shopper.Tokens.RefreshToken)).StatusCode);
    }

    [Theory]
    [InlineData("displayName")]
    [InlineData("phone")]
    public async Task Profile(string field)
    {
        using var shopper = await users.Service.NewShopperAsync();
        var before = await shopper.Http.GetFromJsonAsync<UserProfile>("/api/users/me");
        foreach (var spoiler in Spoilers)
        {
            var body = new Dictionary<string, string> { ["displayName"] = "新名字", ["phone"] = "13800138000" };

            await ProblemAssert.FieldErrorsAsync(await shopper.Http.SendJsonAsync(HttpMethod.Put, "/api/users/me", Json(body, field, spoiler)), field);
        }

        Assert.Equal(before, await shopper.Http.GetFromJsonAsync<UserProfile>("/api/users/me"));
    }

    [Theory]
    [InlineData("recipient")]
    [InlineData("phone")]
    [InlineData("province")]
    [InlineData("city")]
    [InlineData("district")]
    [InlineData("line")]
    [InlineData("postalCode")]
    public async Task Addresses(string field)
    {
        using var shopper = await users.Service.NewShopperAsync();
        var existing = await shopper.Http.AddAddressAsync(UsersHttp.Address("原地址"));
        var good = JsonSerializer.Deserialize<Dictionary<string, string>>(JsonSerializer.Serialize(UsersHttp.Address(), JsonSerializerOptions.Web))!;
        good.Remove("isDefault");
        foreach (var spoiler in Spoilers)
        {
            var json = Json(good, field, spoiler);

            await ProblemAssert.FieldErrorsAsync(await shopper.Http.SendJsonAsync(HttpMethod.Post, "/api/users/me/addresses", json), field);
            await ProblemAssert.FieldErrorsAsync(await shopper.Http.SendJsonAsync(HttpMethod.Put, $"/api/users/me/addresses/{existing.Id}", json), field);
        }

        Assert.Equal([existing], await shopper.Http.AddressesAsync());
    }

    /// <summary>Chinese written as it is, so the middle of a value is never inside an escape.</summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The body as JSON, with <paramref name="spoiler"/> (a JSON escape) put into the middle of the value of
    /// <paramref name="field"/>. Written by hand: a serializer would not write a lone surrogate.
    /// </summary>
    private static string Json(Dictionary<string, string> body, string field, string spoiler) =>
        "{" + string.Join(",", body.Select(p =>
        {
            var value = JsonSerializer.Serialize(p.Value, Unescaped);
            if (p.Key == field)
            {
                value = value[..(value.Length / 2)] + spoiler + value[(value.Length / 2)..];
            }

            return $"{JsonSerializer.Serialize(p.Key)}:{value}";
        })) + "}";
}
