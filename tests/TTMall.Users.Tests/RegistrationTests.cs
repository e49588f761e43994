using System.Net;
using System.Net.Http.Json;

namespace TTMall.Users.Tests;

[Collection(UsersCollection.Name)]
public sealed class RegistrationTests(UsersServiceFixture users)
{
    [Fact]
    public async Task Registering_creates_an_account_that_can_sign_in()
    {
        using var http = users.Service.CreateClient();
        var email = Api.NewEmail("new");

        var response = await http.RegisterAsync($"  {email} ", displayName: " 小明 ");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/users/me", response.Headers.Location?.OriginalString);
        var profile = (await response.Content.ReadFromJsonAsync<UserProfile>())!;
        Assert.Equal(email, profile.Email);
        Assert.Equal("小明", profile.DisplayName);
        Assert.Null(profile.Phone);
        Assert.NotEqual(Guid.Empty, profile.Id);
        var tokens = await (await http.SignInAsync(email)).TokensAsync();
        Assert.Equal(profile.Id, tokens.User.Id);
    }

    [Fact]
    public async Task An_email_is_taken_whatever_its_case()
    {
        using var http = users.Service.CreateClient();
        var email = $"Mixed.Case-{Guid.NewGuid():N}@Example.Test";
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(email)).StatusCode);

        foreach (var again in new[] { email, email.ToLowerInvariant(), email.ToUpperInvariant(), $" {email.ToLowerInvariant()}" })
        {
            var problem = await Api.AssertProblemAsync(await http.RegisterAsync(again, "another1pass"), HttpStatusCode.Conflict);
            Assert.Equal("E-mail already registered", problem.Title);
        }

        // The account keeps its first password and answers to any case of its address.
        Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(email.ToLowerInvariant())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "another1pass")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_email_create_one_account()
    {
        using var http = users.Service.CreateClient();
        var email = Api.NewEmail("race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => http.RegisterAsync(i % 2 == 0 ? email : email.ToUpperInvariant())));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    public static TheoryData<string?, string?, string?, string[]> BadRegistrations => new()
    {
        { null, null, null, ["email", "password", "displayName"] },
        { "", "", "", ["email", "password", "displayName"] },
        { "not-an-email", Api.Password, "x", ["email"] },
        { "no-dot@localhost", Api.Password, "x", ["email"] },
        { "two@@example.test", Api.Password, "x", ["email"] },
        { "Name <named@example.test>", Api.Password, "x", ["email"] },
        { "has space@example.test", Api.Password, "x", ["email"] },
        { new string('a', 250) + "@example.test", Api.Password, "x", ["email"] },
        { "{email}", "short1", "x", ["password"] },
        { "{email}", "onlyletters", "x", ["password"] },
        { "{email}", "1234567890", "x", ["password"] },
        { "{email}", "a1" + new string('x', 127), "x", ["password"] },
        { "{email}", Api.Password, "   ", ["displayName"] },
        { "{email}", Api.Password, new string('名', 33), ["displayName"] },
        { "{email}", Api.Password, "bell\u0007name", ["displayName"] },
        { "{email}", "short", new string('n', 40), ["password", "displayName"] },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registrations_get_400_per_field_and_create_nothing(string? email, string? password, string? displayName, string[] fields)
    {
        using var http = users.Service.CreateClient();
        var fresh = Api.NewEmail("bad");
        var sent = email == "{email}" ? fresh : email;

        await Api.AssertBadFieldsAsync(await http.PostAsJsonAsync("/api/users", new RegisterRequest(sent, password, displayName)), fields);

        // Nothing was written: the address is still free.
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(fresh)).StatusCode);
    }

    [Theory]
    [InlineData("{", "body")]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    [InlineData("[1, 2]", "body")]
    [InlineData("""{"email": 5, "password": "x", "displayName": "x"}""", "email")]
    [InlineData("""{"email": "a@example.test", "password": "abcdefg1", "displayName": {}}""", "displayName")]
    public async Task Malformed_bodies_get_400_naming_the_field_not_500(string json, string field)
    {
        using var http = users.Service.CreateClient();

        var response = await http.SendJsonAsync(HttpMethod.Post, "/api/users", json);

        await Api.AssertBadFieldsAsync(response, field);
    }
}
