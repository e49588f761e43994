using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Users.Tests;

[Collection(UsersCollection.Name)]
public sealed class TokenTests(UsersServiceFixture users)
{
    [Fact]
    public async Task A_request_without_a_token_gets_a_401_problem_with_a_bearer_challenge()
    {
        using var http = users.Service.CreateClient();

        var response = await http.GetAsync("/api/users/me");

        await ProblemAssert.StatusAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/users/me/addresses")).StatusCode);
    }

    [Fact]
    public async Task An_expired_access_token_is_refused()
    {
        using var shopper = await users.Service.NewShopperAsync();
        var user = new MallUser(shopper.Id, shopper.Email, "shopper");
        // Issued 20 minutes ago with the 15-minute lifetime: expired well beyond the 5 s of allowed clock skew.
        var expired = Issue(user, TestTokens.SigningKey, DateTimeOffset.UtcNow.AddMinutes(-20));
        var current = Issue(user, TestTokens.SigningKey, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(expired));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(TestTokens.For(user, TimeSpan.FromSeconds(-1))));
        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(current));
    }

    [Fact]
    public async Task A_tampered_or_foreign_token_is_refused()
    {
        using var alice = await users.Service.NewShopperAsync("alice");
        using var bob = await users.Service.NewShopperAsync("bob");
        var token = bob.Tokens.AccessToken;
        var parts = token.Split('.');

        // Bob's token claiming to be Alice, with Bob's signature.
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        payload["sub"] = alice.Id.ToString();
        var asAlice = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";

        // One character in the middle of the signature (the last one may only hold padding bits).
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        var badSignature = $"{parts[0]}.{parts[1]}.{new string(signature)}";

        var otherKey = Issue(new MallUser(bob.Id, bob.Email, "bob"), TTMall.Hosting.AccessTokenKeys.NewSigningKey(), DateTimeOffset.UtcNow);
        var unsigned = $"{Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8)}.{parts[1]}.";

        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(token));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(asAlice));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(badSignature));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(otherKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(unsigned));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync("not-a-jwt"));
    }

    [Fact]
    public async Task A_well_signed_token_for_an_account_this_service_does_not_have_gets_401()
    {
        using var stranger = users.Service.AuthorizedClient(TestTokens.For(TestTokens.NewUser("stranger")));

        await ProblemAssert.StatusAsync(await stranger.GetAsync("/api/users/me"), HttpStatusCode.Unauthorized);
        await ProblemAssert.StatusAsync(await stranger.PutAsJsonAsync("/api/users/me", new ProfileUpdate("陌生人", null)), HttpStatusCode.Unauthorized);
        await ProblemAssert.StatusAsync(await stranger.PostAsJsonAsync("/api/users/me/addresses", UsersHttp.Address()), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refreshing_uses_up_the_refresh_token_and_issues_working_successors()
    {
        using var shopper = await users.Service.NewShopperAsync();
        using var http = users.Service.CreateClient();

        var second = await (await http.RefreshAsync(shopper.Tokens.RefreshToken)).TokensAsync();
        var third = await (await http.RefreshAsync(second.RefreshToken)).TokensAsync();

        Assert.Equal(3, new[] { shopper.Tokens.RefreshToken, second.RefreshToken, third.RefreshToken }.Distinct().Count());
        Assert.NotEqual(shopper.Tokens.AccessToken, third.AccessToken);
        Assert.Equal(shopper.Id, third.User.Id);
        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(third.AccessToken));
        Assert.Equal(HttpStatusCode.OK, (await http.RefreshAsync(third.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Presenting_a_used_refresh_token_again_ends_that_session_only()
    {
        using var shopper = await users.Service.NewShopperAsync();
        using var http = users.Service.CreateClient();
        var otherDevice = await (await http.SignInAsync(shopper.Email)).TokensAsync();
        var next = await (await http.RefreshAsync(shopper.Tokens.RefreshToken)).TokensAsync();

        // Someone replays the first token: refused, and the session it belongs to ends, successor included.
        var replay = await ProblemAssert.StatusAsync(await http.RefreshAsync(shopper.Tokens.RefreshToken), HttpStatusCode.Unauthorized);
        Assert.Equal("Session ended", replay.Title);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.RefreshAsync(next.RefreshToken)).StatusCode);

        // The session signed in separately goes on.
        Assert.Equal(HttpStatusCode.OK, (await http.RefreshAsync(otherDevice.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Concurrent_refreshes_with_one_token_leave_no_usable_session()
    {
        using var shopper = await users.Service.NewShopperAsync();
        using var http = users.Service.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => http.RefreshAsync(shopper.Tokens.RefreshToken)));

        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        Assert.All(responses.Except(winners), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        // The token was used more than once, so the one successor it got is revoked with the session.
        var successor = await winners[0].TokensAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.RefreshAsync(successor.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_revokes_the_refresh_token_and_its_session()
    {
        using var shopper = await users.Service.NewShopperAsync();
        using var http = users.Service.CreateClient();
        var otherDevice = await (await http.SignInAsync(shopper.Email)).TokensAsync();
        var current = await (await http.RefreshAsync(shopper.Tokens.RefreshToken)).TokensAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await http.SignOutAsync(current.RefreshToken)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.RefreshAsync(current.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SignOutAsync(current.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SignOutAsync("never-issued")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.RefreshAsync(otherDevice.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_of_the_user_and_no_one_elses()
    {
        using var shopper = await users.Service.NewShopperAsync();
        using var bystander = await users.Service.NewShopperAsync("bystander");
        using var http = users.Service.CreateClient();
        var otherDevice = await (await http.SignInAsync(shopper.Email)).TokensAsync();
        var current = await (await http.RefreshAsync(shopper.Tokens.RefreshToken)).TokensAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await shopper.Http.DeleteAsync("/api/users/me/sessions")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.RefreshAsync(current.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.RefreshAsync(otherDevice.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.RefreshAsync(bystander.Tokens.RefreshToken)).StatusCode);
        // Signing in again starts a new session.
        Assert.Equal(HttpStatusCode.OK, (await http.RefreshAsync((await (await http.SignInAsync(shopper.Email)).TokensAsync()).RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.DeleteAsync("/api/users/me/sessions")).StatusCode);
    }

    [Fact]
    public async Task A_session_ends_at_its_absolute_lifetime_however_often_it_is_refreshed()
    {
        // Long enough for a sign-up and two refreshes on a loaded two-core machine; the end is awaited, not guessed.
        var lifetime = TimeSpan.FromSeconds(12);
        await using var service = users.StartReplica(("Users:SessionLifetime", lifetime.ToString()));
        using var shopper = await service.NewShopperAsync();
        using var http = service.CreateClient();
        var signedInAt = DateTimeOffset.UtcNow;
        Assert.True(shopper.Tokens.RefreshTokenExpiresAt <= signedInAt + lifetime, "a refresh token lasts no longer than its session");

        var tokens = shopper.Tokens;
        for (var i = 0; i < 2; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            tokens = await (await http.RefreshAsync(tokens.RefreshToken)).TokensAsync();
            Assert.True(tokens.RefreshTokenExpiresAt <= signedInAt + lifetime, "a refresh does not lengthen the session");
        }

        var untilEnd = tokens.RefreshTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        await Task.Delay(untilEnd > TimeSpan.Zero ? untilEnd : TimeSpan.Zero);
        await ProblemAssert.StatusAsync(await http.RefreshAsync(tokens.RefreshToken), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bad_refresh_and_sign_out_requests_get_400_and_unknown_tokens_401()
    {
        using var http = users.Service.CreateClient();

        foreach (var token in new[] { null, "", "   ", new string('t', 101) })
        {
            await ProblemAssert.FieldErrorsAsync(await http.RefreshAsync(token!), "refreshToken");
            await ProblemAssert.FieldErrorsAsync(await http.SignOutAsync(token), "refreshToken");
        }

        await ProblemAssert.StatusAsync(await http.SendJsonAsync(HttpMethod.Post, "/api/users/sessions/refresh", "{"), HttpStatusCode.BadRequest);
        await ProblemAssert.StatusAsync(await http.SendJsonAsync(HttpMethod.Delete, "/api/users/sessions", "[]"), HttpStatusCode.BadRequest);
        await ProblemAssert.StatusAsync(await http.RefreshAsync(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))), HttpStatusCode.Unauthorized);
    }

    private async Task<HttpStatusCode> StatusOfMeAsync(string accessToken)
    {
        using var http = users.Service.AuthorizedClient(accessToken);
        return (await http.GetAsync("/api/users/me")).StatusCode;
    }

    private static string Issue(MallUser user, string signingKey, DateTimeOffset issuedAt) =>
        new AccessTokens(Options.Create(new JwtOptions { SigningKey = signingKey }), new FixedClock(issuedAt)).Create(user).Token;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
