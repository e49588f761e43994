using System.Net;
using System.Net.Http.Json;

namespace TTMall.Users.Tests;

[Collection(UsersCollection.Name)]
public sealed class SignInTests(UsersServiceFixture users)
{
    [Fact]
    public async Task Signing_in_issues_an_access_token_that_opens_the_profile_and_a_refresh_token()
    {
        using var http = users.Service.CreateClient();
        var email = UsersHttp.NewEmail();
        await users.Service.SignUpAsync(email, displayName: "李雷");

        var started = DateTimeOffset.UtcNow;
        var tokens = await (await http.SignInAsync(email.ToUpperInvariant())).TokensAsync();

        Assert.Equal("Bearer", tokens.TokenType);
        Assert.InRange(tokens.AccessTokenExpiresAt, started.AddMinutes(14), started.AddMinutes(16));
        Assert.InRange(tokens.RefreshTokenExpiresAt, started.AddDays(14).AddMinutes(-1), started.AddDays(14).AddMinutes(1));
        Assert.True(tokens.RefreshToken.Length >= 43, "a refresh token carries 256 random bits");
        var claims = UsersHttp.Payload(tokens.AccessToken);
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
        var email = UsersHttp.NewEmail();
        await users.Service.SignUpAsync(email);

        var wrongPassword = await ProblemAssert.StatusAsync(await http.SignInAsync(email, "wrong1password"), HttpStatusCode.Unauthorized);
        var unknownEmail = await ProblemAssert.StatusAsync(await http.SignInAsync(UsersHttp.NewEmail("nobody")), HttpStatusCode.Unauthorized);

        Assert.Equal(wrongPassword.Title, unknownEmail.Title);
        Assert.Equal(wrongPassword.Detail, unknownEmail.Detail);
    }

    [Fact]
    public async Task Bad_sign_in_requests_get_400_per_field()
    {
        using var http = users.Service.CreateClient();

        await ProblemAssert.FieldErrorsAsync(await http.PostAsJsonAsync("/api/users/sessions", new SignInRequest(null, null)), "email", "password");
        await ProblemAssert.FieldErrorsAsync(await http.PostAsJsonAsync("/api/users/sessions", new SignInRequest(" ", UsersHttp.Password)), "email");
        await ProblemAssert.FieldErrorsAsync(await http.PostAsJsonAsync("/api/users/sessions", new SignInRequest(UsersHttp.NewEmail(), "")), "password");
        await ProblemAssert.FieldErrorsAsync(await http.PostAsJsonAsync("/api/users/sessions", new SignInRequest(UsersHttp.NewEmail(), new string('p', 1025))), "password");
        await ProblemAssert.StatusAsync(await http.SendJsonAsync(HttpMethod.Post, "/api/users/sessions", "{\"email\":"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_strangers_wrong_passwords_do_not_lock_the_owner_out()
    {
        using var owner = users.Service.ClientFrom("127.0.0.2");
        using var stranger = users.Service.ClientFrom("127.0.0.3");
        var email = UsersHttp.NewEmail("owner");
        await users.Service.SignUpAsync(email);

        for (var i = 1; i <= 8; i++)
        {
            await ProblemAssert.StatusAsync(await stranger.SignInAsync(email, $"wrong{i}pass"), HttpStatusCode.Unauthorized);
        }

        // The stranger is shut out of this e-mail, even with the right password, and cannot tell.
        await ProblemAssert.StatusAsync(await stranger.SignInAsync(email), HttpStatusCode.Unauthorized);
        // The owner, from their own address, is not.
        Assert.Equal(HttpStatusCode.OK, (await owner.SignInAsync(email)).StatusCode);
    }

    [Fact]
    public async Task Unknown_wrong_and_shut_out_answers_are_identical_but_for_the_trace_id()
    {
        using var http = users.Service.ClientFrom("127.0.0.4");
        var email = UsersHttp.NewEmail("same");
        await users.Service.SignUpAsync(email);

        var unknown = await http.SignInAsync(UsersHttp.NewEmail("nobody"));
        var wrong = await http.SignInAsync(email, "wrong1pass");
        for (var i = 2; i <= 5; i++)
        {
            await http.SignInAsync(email, $"wrong{i}pass");
        }

        var shutOut = await http.SignInAsync(email);

        foreach (var response in new[] { unknown, wrong, shutOut })
        {
            await ProblemAssert.StatusAsync(response, HttpStatusCode.Unauthorized);
            Assert.Null(response.Headers.RetryAfter);
        }

        var body = await UsersHttp.BodyWithoutTraceAsync(unknown);
        Assert.Equal(body, await UsersHttp.BodyWithoutTraceAsync(wrong));
        Assert.Equal(body, await UsersHttp.BodyWithoutTraceAsync(shutOut));
        Assert.DoesNotContain("lock", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_successful_sign_in_restarts_the_count_of_wrong_passwords()
    {
        using var http = users.Service.CreateClient();
        var email = UsersHttp.NewEmail();
        await users.Service.SignUpAsync(email);

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "wrong1pass", clientIp: "198.51.100.1")).StatusCode);
            }

            Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(email, clientIp: "198.51.100.1")).StatusCode);
        }
    }

    [Fact]
    public async Task Wrong_passwords_count_on_every_replica_sharing_the_database()
    {
        await using var second = users.StartReplica();
        using var a = users.Service.CreateClient();
        using var b = second.CreateClient();
        var email = UsersHttp.NewEmail("replicas");
        await users.Service.SignUpAsync(email);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await a.SignInAsync(email, "wrong1pass")).StatusCode);
        }

        // The fifth failure in all, the second on this replica.
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.SignInAsync(email, "wrong1pass")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.SignInAsync(email, "wrong1pass")).StatusCode);

        await ProblemAssert.StatusAsync(await a.SignInAsync(email), HttpStatusCode.Unauthorized);
        await ProblemAssert.StatusAsync(await b.SignInAsync(email), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_shut_out_ends_after_its_time()
    {
        await using var quick = users.StartReplica(("Users:MaxFailedSignIns", "2"), ("Users:LockoutDuration", "00:00:02"));
        using var http = quick.ClientFrom("127.0.0.5");
        var email = UsersHttp.NewEmail();
        await quick.SignUpAsync(email);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "wrong1pass")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "wrong1pass")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email)).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "wrong1pass")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(email)).StatusCode);
    }

    [Fact]
    public async Task Spraying_one_password_across_many_accounts_from_one_address_is_limited()
    {
        // The service's own default, not the test collection's raised one.
        await using var service = users.StartReplica(("Users:SignInAttemptsPerClient", "30"));
        using var sprayer = service.ClientFrom("127.0.0.6");
        using var other = service.ClientFrom("127.0.0.7");

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await sprayer.SignInAsync(UsersHttp.NewEmail("victim"), "Summer2026")).StatusCode);
        }

        var refused = await sprayer.SignInAsync(UsersHttp.NewEmail("victim"), "Summer2026");
        await ProblemAssert.StatusAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        // Another replica counts the same attempts.
        await using var third = users.StartReplica(("Users:SignInAttemptsPerClient", "30"));
        using var sprayerOnThird = third.ClientFrom("127.0.0.6");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sprayerOnThird.SignInAsync(UsersHttp.NewEmail("victim"), "Summer2026")).StatusCode);
        // Another address goes on.
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.SignInAsync(UsersHttp.NewEmail("victim"), "Summer2026")).StatusCode);
    }

    [Fact]
    public async Task Too_many_attempts_from_one_client_for_one_email_get_429_with_Retry_After()
    {
        using var http = users.Service.CreateClient();
        var email = UsersHttp.NewEmail("flood");
        const string client = "203.0.113.7";

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "guess1pass", client)).StatusCode);
        }

        var refused = await http.SignInAsync(email, "guess1pass", client);
        await ProblemAssert.StatusAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        // Case does not make it another e-mail.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SignInAsync(email.ToUpperInvariant(), "guess1pass", client)).StatusCode);

        // The limit is per client and e-mail: the same client for another e-mail, and another client for this one, go on.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(UsersHttp.NewEmail(), "guess1pass", client)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "guess1pass", "203.0.113.8")).StatusCode);
    }
}
