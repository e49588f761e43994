using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TTMall.Users.Data;

namespace TTMall.Users.Tests;

[Collection(UsersCollection.Name)]
public sealed class ServiceTests(UsersServiceFixture users)
{
    [Fact]
    public async Task The_OpenAPI_document_names_and_describes_every_endpoint()
    {
        using var http = users.Service.CreateClient();

        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));

        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _)))
            .ToDictionary(o => o.Value.GetProperty("operationId").GetString()!, o => o.Value);
        string[] expected =
        [
            "RegisterUser", "ConfirmUser", "SignIn", "RefreshSession", "SignOut", "SignOutEverywhere", "GetMyProfile", "UpdateMyProfile",
            "ListMyAddresses", "GetMyAddress", "AddMyAddress", "UpdateMyAddress", "MakeMyAddressDefault", "DeleteMyAddress",
        ];
        Assert.Equal(expected.Order(), operations.Keys.Order());
        Assert.All(operations.Values, o => Assert.False(string.IsNullOrWhiteSpace(o.GetProperty("summary").GetString())));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_demo_account_exists_only_with_a_configured_password_and_follows_it()
    {
        async Task<bool> DemoExistsAsync()
        {
            await using var scope = users.Service.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<UsersDbContext>().Users.AnyAsync(u => u.Email == UsersSeed.DemoEmail);
        }

        Assert.False(await DemoExistsAsync(), "no demo account without a configured password");

        var first = "demo" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) + "1";
        await using (var withDemo = users.StartReplica(("Users:DemoPassword", first)))
        {
            using var http = withDemo.CreateClient();
            var tokens = await (await http.SignInAsync(UsersSeed.DemoEmail, first)).TokensAsync();
            Assert.Equal(UsersSeed.DemoDisplayName, tokens.User.DisplayName);
        }

        var second = "demo" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) + "2";
        await using (var changed = users.StartReplica(("Users:DemoPassword", second)))
        {
            using var http = changed.CreateClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(UsersSeed.DemoEmail, first)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.SignInAsync(UsersSeed.DemoEmail, second)).StatusCode);
        }

        Assert.True(await DemoExistsAsync());
        using var shared = users.Service.CreateClient();
        // The demo account is confirmed: a sign-up for its address is answered as any other, and it is told by mail.
        Assert.Equal(HttpStatusCode.Accepted, (await shared.RegisterAsync(UsersSeed.DemoEmail.ToUpperInvariant())).StatusCode);
        Assert.Equal("Someone tried to sign up with your address", (await users.Service.MailsToAsync(UsersSeed.DemoEmail)).Last().Subject);
    }
}
