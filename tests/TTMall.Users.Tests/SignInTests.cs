using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TTMall.Users.Tests;

[Collection(UsersCollection.Name)]
public sealed class SignInTests(UsersServiceFixture users)
{
    [Fact]
    public async Task Signing_in_issues_an_access_token_that_opens_the_profile_and_a_refresh_token()
    {
        using var http = users.Service.CreateClient();
        var email = Api.NewEmail();
        await http.RegisterAsync(email, displayName: "李雷");

        var started = DateTimeOffset.UtcNow;
        var tokens = await (await http.SignInAsync(email.ToUpperInvariant())).TokensAsync();

        Assert.Equal("Bearer", tokens.TokenType);
        Assert.InRange(tokens.AccessTokenExpiresAt, started.AddMinutes(14), started.AddMinutes(16));
        Assert.InRange(tokens.RefreshTokenExpiresAt, started.AddDays(14).AddMinutes(-1), started.AddDays(14).AddMinutes(1));
        Assert.True(tokens.RefreshToken.Length >= 43, "a refresh token carries 256 random bits");
        var claims = Api.Payload(tokens.AccessToken);
        Assert.Equal(tokens.User.Id.ToString(), claims.GetProperty("sub").GetString());
        Assert.Equal(email, claims.GetProperty("email").GetString());
        Assert.Equal("李雷", claims.GetProperty("name").GetString());

        using var me = users.Service.AuthorizedClient(tokens.AccessToken);
        var profile = await me.GetFromJsonAsync<UserProfile>("/api/users/me");
        Assert.Equal(tokens.User, profile);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_401()
    {
        using var http = users.Service.CreateClient();
        var email = Api.NewEmail();
        await http.RegisterAsync(email);

        var wrongPassword = await Api.AssertProblemAsync(await http.SignInAsync(email, "wrong1password"), HttpStatusCode.Unauthorized);
        var unknownEmail = await Api.AssertProblemAsync(await http.SignInAsync(Api.NewEmail("nobody")), HttpStatusCode.Unauthorized);

        Assert.Equal(wrongPassword.Title, unknownEmail.Title);
        Assert.Equal(wrongPassword.Detail, unknownEmail.Detail);
    }

    [Fact]
    public async Task Bad_sign_in_requests_get_400_per_field()
    {
        using var http = users.Service.CreateClient();

        await Api.AssertBadFieldsAsync(await http.PostAsJsonAsync("/api/users/sessions", new SignInRequest(null, null)), "email", "password");
        await Api.AssertBadFieldsAsync(await http.PostAsJsonAsync("/api/users/sessions", new SignInRequest(" ", Api.Password)), "email");
        await Api.AssertBadFieldsAsync(await http.PostAsJsonAsync("/api/users/sessions", new SignInRequest(Api.NewEmail(), "")), "password");
        await Api.AssertBadFieldsAsync(await http.PostAsJsonAsync("/api/users/sessions", new SignInRequest(Api.NewEmail(), new string('p', 1025))), "password");
        await Api.AssertProblemAsync(await http.SendJsonAsync(HttpMethod.Post, "/api/users/sessions", "{\"email\":"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_lock_does_not_reveal_the_password()
    {
        using var http = users.Service.CreateClient();
        var email = Api.NewEmail("locked");
        await http.RegisterAsync(email);
        var bystander = Api.NewEmail("bystander");
        await http.RegisterAsync(bystander);

        for (var i = 1; i <= 4; i++)
        {
            await Api.AssertProblemAsync(await http.SignInAsync(email, $"wrong{i}pass"), HttpStatusCode.Unauthorized);
        }

        var locking = await http.SignInAsync(email, "wrong5pass");
        var lockedAt = DateTimeOffset.UtcNow;
        var lockProblem = await Api.AssertProblemAsync(locking, HttpStatusCode.Forbidden);
        Assert.Equal("Account locked", lockProblem.Title);
        var retryAfter = locking.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var lockedUntil = ((JsonElement)lockProblem.Extensions["lockedUntil"]!).GetDateTimeOffset();
        Assert.InRange(lockedUntil, lockedAt.AddMinutes(14), lockedAt.AddMinutes(16));

        // The right password now gets exactly what a wrong one gets.
        var right = await Api.AssertProblemAsync(await http.SignInAsync(email), HttpStatusCode.Forbidden);
        var wrong = await Api.AssertProblemAsync(await http.SignInAsync(email, "wrong6pass"), HttpStatusCode.Forbidden);
        Assert.Equal((right.Title, right.Detail), (wrong.Title, wrong.Detail));

        Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(bystander)).StatusCode);
    }

    [Fact]
    public async Task A_successful_sign_in_restarts_the_count_of_wrong_passwords()
    {
        using var http = users.Service.CreateClient();
        var email = Api.NewEmail();
        await http.RegisterAsync(email);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "wrong1pass", clientIp: "198.51.100.1")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(email, clientIp: "198.51.100.1")).StatusCode);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "wrong1pass", clientIp: "198.51.100.2")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(email, clientIp: "198.51.100.2")).StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_count_and_lock_on_every_replica_sharing_the_database()
    {
        await using var second = users.StartReplica();
        using var a = users.Service.CreateClient();
        using var b = second.CreateClient();
        var email = Api.NewEmail("replicas");
        await a.RegisterAsync(email);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await a.SignInAsync(email, "wrong1pass")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await b.SignInAsync(email, "wrong1pass")).StatusCode);
        // The fifth failure in all, the second on this replica.
        Assert.Equal(HttpStatusCode.Forbidden, (await b.SignInAsync(email, "wrong1pass")).StatusCode);

        await Api.AssertProblemAsync(await a.SignInAsync(email), HttpStatusCode.Forbidden);
        await Api.AssertProblemAsync(await b.SignInAsync(email), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_lock_ends_after_its_time_and_the_count_starts_again()
    {
        await using var quick = users.StartReplica(("Users:MaxFailedSignIns", "2"), ("Users:LockoutDuration", "00:00:02"));
        using var http = quick.CreateClient();
        var email = Api.NewEmail();
        await http.RegisterAsync(email);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "wrong1pass")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SignInAsync(email, "wrong1pass")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SignInAsync(email)).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "wrong1pass")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(email)).StatusCode);
    }

    [Fact]
    public async Task Too_many_attempts_from_one_client_for_one_email_get_429_with_Retry_After()
    {
        using var http = users.Service.CreateClient();
        var email = Api.NewEmail("flood");
        const string client = "203.0.113.7";

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "guess1pass", client)).StatusCode);
        }

        var refused = await http.SignInAsync(email, "guess1pass", client);
        await Api.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        // Case does not make it another e-mail.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SignInAsync(email.ToUpperInvariant(), "guess1pass", client)).StatusCode);

        // The limit is per client and e-mail: the same client for another e-mail, and another client for this one, go on.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(Api.NewEmail(), "guess1pass", client)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "guess1pass", "203.0.113.8")).StatusCode);
    }
}
