using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TTMall.Users.Data;

namespace TTMall.Users.Tests;

[Collection(UsersCollection.Name)]
public sealed class RegistrationTests(UsersServiceFixture users)
{
    [Fact]
    public async Task Signing_up_and_confirming_the_mailed_code_opens_an_account()
    {
        using var http = users.Service.CreateClient();
        var email = UsersHttp.NewEmail("new");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var response = await http.RegisterAsync($"  {email} ", displayName: " 小明 ");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email)).StatusCode);
        var code = await users.Service.CodeMailedToAsync(email, before);
        var confirmed = await http.PostAsJsonAsync("/api/users/confirmation", new ConfirmationRequest(email.ToUpperInvariant(), code));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var profile = (await confirmed.Content.ReadFromJsonAsync<UserProfile>())!;
        Assert.Equal(email, profile.Email);
        Assert.Equal("小明", profile.DisplayName);
        Assert.Null(profile.Phone);
        var tokens = await (await http.SignInAsync(email)).TokensAsync();
        Assert.Equal(profile.Id, tokens.User.Id);
        // A code is used once.
        await ProblemAssert.StatusAsync(await http.PostAsJsonAsync("/api/users/confirmation", new ConfirmationRequest(email, code)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_sign_up_for_a_taken_address_is_answered_as_for_a_new_one_and_mails_the_owner()
    {
        using var http = users.Service.CreateClient();
        var email = $"Mixed.Case-{Guid.NewGuid():N}@Example.Test";
        await users.Service.SignUpAsync(email);

        var fresh = await http.RegisterAsync(UsersHttp.NewEmail("fresh"), "another1pass");
        var freshBody = await fresh.Content.ReadAsStringAsync();
        foreach (var again in new[] { email, email.ToLowerInvariant(), email.ToUpperInvariant(), $" {email.ToLowerInvariant()}" })
        {
            var taken = await http.RegisterAsync(again, "another1pass");
            Assert.Equal(fresh.StatusCode, taken.StatusCode);
            Assert.Equal(freshBody, await taken.Content.ReadAsStringAsync());
            Assert.Equal(fresh.Content.Headers.ContentType, taken.Content.Headers.ContentType);
        }

        // Three mails an hour to one address at most, so sign-ups cannot flood a mailbox; the answers do not change.
        var mails = await users.Service.MailsToAsync(email);
        Assert.Equal(["Your TT Mall confirmation code", .. Enumerable.Repeat("Someone tried to sign up with your address", 2)], mails.Select(m => m.Subject));
        Assert.DoesNotMatch("[0-9]{8}", mails[^1].Body);
        // The account keeps its first password and answers to any case of its address.
        Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(email.ToLowerInvariant())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "another1pass")).StatusCode);
    }

    [Fact]
    public async Task A_sign_up_nobody_confirmed_is_replaced_by_the_next_so_an_address_cannot_be_squatted()
    {
        using var http = users.Service.CreateClient();
        var email = UsersHttp.NewEmail("victim");
        Assert.Equal(HttpStatusCode.Accepted, (await http.RegisterAsync(email, "squatter1pass", "squatter")).StatusCode);

        var owner = await users.Service.SignUpAsync(email, displayName: "owner");

        Assert.Equal("owner", owner.DisplayName);
        Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(email)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(email, "squatter1pass")).StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_and_unknown_addresses_get_the_same_400_and_a_few_wrong_codes_void_the_code()
    {
        using var http = users.Service.CreateClient();
        var email = UsersHttp.NewEmail("confirm");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await http.RegisterAsync(email);
        var code = await users.Service.CodeMailedToAsync(email, before);
        var wrongCode = code == "00000000" ? "00000001" : "00000000";

        var unknown = await http.PostAsJsonAsync("/api/users/confirmation", new ConfirmationRequest(UsersHttp.NewEmail("nobody"), code));
        var wrong = await http.PostAsJsonAsync("/api/users/confirmation", new ConfirmationRequest(email, wrongCode));
        await ProblemAssert.StatusAsync(unknown, HttpStatusCode.BadRequest);
        Assert.Equal(await UsersHttp.BodyWithoutTraceAsync(unknown), await UsersHttp.BodyWithoutTraceAsync(wrong));

        for (var i = 2; i <= 5; i++)
        {
            await ProblemAssert.StatusAsync(await http.PostAsJsonAsync("/api/users/confirmation", new ConfirmationRequest(email, wrongCode)), HttpStatusCode.BadRequest);
        }

        // Five wrong tries void even the right code; a new sign-up mails a new one.
        await ProblemAssert.StatusAsync(await http.PostAsJsonAsync("/api/users/confirmation", new ConfirmationRequest(email, code)), HttpStatusCode.BadRequest);
        await users.Service.SignUpAsync(email);
    }

    [Fact]
    public async Task Sign_ups_are_limited_per_client_address()
    {
        await using var service = users.StartReplica(("Users:SignUpsPerClient", "3"));
        using var http = service.ClientFrom("127.0.0.8");
        using var other = service.ClientFrom("127.0.0.9");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await http.RegisterAsync(UsersHttp.NewEmail("many"))).StatusCode);
        }

        var refused = await http.RegisterAsync(UsersHttp.NewEmail("many"));
        await ProblemAssert.StatusAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Accepted, (await other.RegisterAsync(UsersHttp.NewEmail("many"))).StatusCode);
    }

    [Fact]
    public async Task Concurrent_sign_ups_of_one_email_make_one_account()
    {
        using var http = users.Service.CreateClient();
        var email = UsersHttp.NewEmail("race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => http.RegisterAsync(i % 2 == 0 ? email : email.ToUpperInvariant())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        await using var scope = users.Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));
    }

    [Fact]
    public async Task Names_are_stored_in_one_normal_form_however_they_were_composed()
    {
        var profile = await users.Service.SignUpAsync(UsersHttp.NewEmail("nfc"), displayName: "Zoe\u0301 and Ame\u0301lie");

        Assert.Equal("Zo\u00e9 and Am\u00e9lie", profile.DisplayName);
    }

    [Fact]
    public async Task A_look_alike_of_an_address_names_no_account_at_sign_in()
    {
        using var http = users.Service.CreateClient();
        var local = $"squat-{Guid.NewGuid():N}";
        await users.Service.SignUpAsync($"{local}@example.test");

        // ſ upper-cases to S under the invariant culture; the key of an address must not fold it.
        await ProblemAssert.StatusAsync(await http.SignInAsync($"\u017f{local[1..]}@example.test"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync($"{local.ToUpperInvariant()}@EXAMPLE.TEST")).StatusCode);
    }

    public static TheoryData<string?, string?, string?, string[]> BadRegistrations => new()
    {
        { null, null, null, ["email", "password", "displayName"] },
        { "", "", "", ["email", "password", "displayName"] },
        { "not-an-email", UsersHttp.Password, "x", ["email"] },
        { "no-dot@localhost", UsersHttp.Password, "x", ["email"] },
        { "two@@example.test", UsersHttp.Password, "x", ["email"] },
        { "Name <named@example.test>", UsersHttp.Password, "x", ["email"] },
        { "has space@example.test", UsersHttp.Password, "x", ["email"] },
        { new string('a', 250) + "@example.test", UsersHttp.Password, "x", ["email"] },
        // Look-alikes: invisible or direction-changing characters, letters of other scripts, ſ (which upper-cases to S).
        { "probe\u200b@example.test", UsersHttp.Password, "x", ["email"] },
        { "\u202eprobe@example.test", UsersHttp.Password, "x", ["email"] },
        { "probe@exa\u2066mple.test", UsersHttp.Password, "x", ["email"] },
        { "\u017fquat@example.test", UsersHttp.Password, "x", ["email"] },
        { "\u0430lice@example.test", UsersHttp.Password, "x", ["email"] },
        { "probe@ex\u00e4mple.test", UsersHttp.Password, "x", ["email"] },
        { "\uff50robe@example.test", UsersHttp.Password, "x", ["email"] },
        // Machines by number are no mail domain.
        { "a@[127.0.0.1]", UsersHttp.Password, "x", ["email"] },
        { "a@127.0.0.1", UsersHttp.Password, "x", ["email"] },
        { "a@[IPv6:::1]", UsersHttp.Password, "x", ["email"] },
        { ".lead@example.test", UsersHttp.Password, "x", ["email"] },
        { "two..dots@example.test", UsersHttp.Password, "x", ["email"] },
        { "a@-host.example.test", UsersHttp.Password, "x", ["email"] },
        { "{email}", UsersHttp.Password, "evil\u202egnp.exe", ["displayName"] },
        { "{email}", UsersHttp.Password, "zero\u200bwidth", ["displayName"] },
        { "{email}", UsersHttp.Password, "iso\u2066late", ["displayName"] },
        { "{email}", UsersHttp.Password, "bom\ufeff", ["displayName"] },
        { "{email}", UsersHttp.Password, "unassigned\u0378", ["displayName"] },
        { "{email}", "short1", "x", ["password"] },
        { "{email}", "onlyletters", "x", ["password"] },
        { "{email}", "1234567890", "x", ["password"] },
        { "{email}", "a1" + new string('x', 127), "x", ["password"] },
        { "{email}", UsersHttp.Password, "   ", ["displayName"] },
        { "{email}", UsersHttp.Password, new string('名', 33), ["displayName"] },
        { "{email}", UsersHttp.Password, "bell\u0007name", ["displayName"] },
        { "{email}", "short", new string('n', 40), ["password", "displayName"] },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registrations_get_400_per_field_and_create_nothing(string? email, string? password, string? displayName, string[] fields)
    {
        using var http = users.Service.CreateClient();
        var fresh = UsersHttp.NewEmail("bad");
        var sent = email == "{email}" ? fresh : email;

        await ProblemAssert.FieldErrorsAsync(await http.PostAsJsonAsync("/api/users", new RegisterRequest(sent, password, displayName)), fields);

        // Nothing was written: the address is still free.
        await users.Service.SignUpAsync(fresh);
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

        await ProblemAssert.FieldErrorsAsync(response, field);
    }
}
