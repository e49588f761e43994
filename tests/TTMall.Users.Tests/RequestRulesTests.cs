using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Users.Tests;

/// <summary>What every service does with any request: HEAD as GET, UTF-8 JSON only, bounded bodies.</summary>
[Collection(UsersCollection.Name)]
public sealed class RequestRulesTests(UsersServiceFixture users)
{
    [Theory]
    [MemberData(nameof(HttpChecks.CharsetsOtherThanUtf8), MemberType = typeof(HttpChecks))]
    public async Task Every_JSON_endpoint_refuses_a_charset_other_than_UTF_8_with_415_and_writes_nothing(string charset)
    {
        using var shopper = await users.Service.NewShopperAsync();
        var address = await shopper.Http.AddAddressAsync(UsersHttp.Address("原地址"));
        var profile = await shopper.Http.GetFromJsonAsync<UserProfile>("/api/users/me");
        var email = UsersHttp.NewEmail("charset");
        var bodies = new Dictionary<string, object>
        {
            ["POST /api/users"] = new RegisterRequest(email, UsersHttp.Password, "小明"),
            ["POST /api/users/confirmation"] = new ConfirmationRequest(email, "00000000"),
            ["POST /api/users/sessions"] = new SignInRequest(shopper.Email, UsersHttp.Password),
            ["POST /api/users/sessions/refresh"] = new RefreshRequest(shopper.Tokens.RefreshToken),
            ["DELETE /api/users/sessions"] = new RefreshRequest(shopper.Tokens.RefreshToken),
            ["PUT /api/users/me"] = new ProfileUpdate("新名字", "13900139000"),
            ["POST /api/users/me/addresses"] = UsersHttp.Address("新地址"),
            ["PUT /api/users/me/addresses/{id}"] = UsersHttp.Address("改过的地址"),
        };
        var endpoints = (await ApiOperations.ReadAsync(shopper.Http)).Where(o => o.Body is not null).ToList();
        Assert.Equal(bodies.Keys.Order(), endpoints.Select(o => o.ToString()).Order());

        foreach (var endpoint in endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.PathTemplate.Replace("{id}", $"{address.Id}"))
            {
                Content = HttpChecks.Json(JsonSerializer.Serialize(bodies[endpoint.ToString()], JsonSerializerOptions.Web), charset),
            };
            await HttpChecks.AssertOnlyUtf8JsonAsync(await shopper.Http.SendAsync(request));
        }

        await users.Service.SignUpAsync(email);
        Assert.Equal(profile, await shopper.Http.GetFromJsonAsync<UserProfile>("/api/users/me"));
        Assert.Equal([address], await shopper.Http.AddressesAsync());
        Assert.Equal(HttpStatusCode.OK, (await shopper.Http.RefreshAsync(shopper.Tokens.RefreshToken)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(HttpChecks.WaysToWriteUtf8), MemberType = typeof(HttpChecks))]
    public async Task UTF_8_JSON_is_taken_whatever_way_the_charset_is_written(string? charset)
    {
        using var http = users.Service.CreateClient();
        var json = JsonSerializer.Serialize(new RegisterRequest(UsersHttp.NewEmail("utf8"), UsersHttp.Password, "小明"), JsonSerializerOptions.Web);

        using var response = await http.PostAsync("/api/users", HttpChecks.Json(json, charset));

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task HEAD_answers_as_GET_on_every_GET_endpoint()
    {
        using var shopper = await users.Service.NewShopperAsync();
        var address = await shopper.Http.AddAddressAsync(UsersHttp.Address());
        var paths = (await ApiOperations.ReadAsync(shopper.Http))
            .Where(o => o.Method == "GET")
            .Select(o => o.PathTemplate.Replace("{id}", $"{address.Id}"))
            .ToList();
        Assert.Equal(["/api/users/me", "/api/users/me/addresses", "/api/users/me/addresses/{id}".Replace("{id}", $"{address.Id}")], paths.Order());

        var statuses = new List<int>();
        foreach (var path in paths.Append($"/api/users/me/addresses/{Guid.NewGuid()}").Append("/health").Append("/openapi/v1.json"))
        {
            statuses.Add(await HttpChecks.AssertHeadAnswersAsGetAsync(users.Service.BaseAddress, path, shopper.Tokens.AccessToken));
        }

        foreach (var path in paths)
        {
            statuses.Add(await HttpChecks.AssertHeadAnswersAsGetAsync(users.Service.BaseAddress, path));
        }

        Assert.Equal([200, 401, 404], statuses.Distinct().Order());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_30_MB_registration_is_413_and_creates_nothing(bool expectContinue)
    {
        using var http = users.Service.CreateClient();
        var email = UsersHttp.NewEmail("big");
        var json = $$"""{"email":"{{email}}","password":"{{UsersHttp.Password}}","displayName":"{{new string('名', 10 * 1024 * 1024)}}"}""";
        // With Expect: 100-continue the body is refused before it is sent; without, the client is still sending it when
        // the 413 comes, and reads it all the same.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users") { Content = HttpChecks.Json(json) };
        request.Headers.ExpectContinue = expectContinue;

        using var response = await http.SendAsync(request);

        await ProblemAssert.StatusAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.True(response.Headers.ConnectionClose);
        await users.Service.SignUpAsync(email);
    }

    [Fact]
    public async Task A_body_over_the_bound_is_413_also_when_its_length_is_known_only_while_it_is_read()
    {
        using var http = users.Service.CreateClient();
        var email = UsersHttp.NewEmail("chunked");
        var json = $$"""{"email":"{{email}}","password":"{{UsersHttp.Password}}","displayName":"小明","padding":"{{new string('x', 64 * 1024)}}"}""";

        using var response = await http.PostAsync("/api/users", HttpChecks.Chunked(json));

        await ProblemAssert.StatusAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.True(response.Headers.ConnectionClose);
        await users.Service.SignUpAsync(email);
    }

    [Fact]
    public async Task The_largest_sign_in_a_client_may_send_is_within_the_bound()
    {
        using var http = users.Service.CreateClient();
        // The longest e-mail and sign-in password there may be, every character \u-escaped as .NET's JsonContent does with '+'.
        var body = await JsonContent.Create(new SignInRequest(new string('+', 241) + "@example.test", new string('+', 1024))).ReadAsByteArrayAsync();
        Assert.InRange(body.Length, 7 * 1024, RequestBodies.DefaultMaxBytes);

        using var response = await http.PostAsync("/api/users/sessions", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        await ProblemAssert.StatusAsync(response, HttpStatusCode.Unauthorized);
    }
}
