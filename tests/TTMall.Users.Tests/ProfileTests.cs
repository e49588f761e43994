using System.Net;
using System.Net.Http.Json;

namespace TTMall.Users.Tests;

[Collection(UsersCollection.Name)]
public sealed class ProfileTests(UsersServiceFixture users)
{
    [Fact]
    public async Task Updating_the_profile_changes_name_and_phone_and_later_tokens_carry_the_name()
    {
        using var shopper = await users.Service.NewShopperAsync();

        var response = await shopper.Http.PutAsJsonAsync("/api/users/me", new ProfileUpdate(" 韩梅梅 ", "+86 13912345678"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = (await response.Content.ReadFromJsonAsync<UserProfile>())!;
        Assert.Equal(shopper.Tokens.User with { DisplayName = "韩梅梅", Phone = "+86 13912345678" }, updated);
        Assert.Equal(updated, await shopper.Http.GetFromJsonAsync<UserProfile>("/api/users/me"));

        using var http = users.Service.CreateClient();
        var refreshed = await (await http.RefreshAsync(shopper.Tokens.RefreshToken)).TokensAsync();
        Assert.Equal("韩梅梅", UsersHttp.Payload(refreshed.AccessToken).GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_empty_phone_removes_it_and_landlines_are_phones_too()
    {
        using var shopper = await users.Service.NewShopperAsync();

        var landline = await shopper.Http.PutAsJsonAsync("/api/users/me", new ProfileUpdate("王芳", "010-62345678"));
        Assert.Equal("010-62345678", (await landline.Content.ReadFromJsonAsync<UserProfile>())!.Phone);

        var removed = await shopper.Http.PutAsJsonAsync("/api/users/me", new ProfileUpdate("王芳", ""));
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Null((await shopper.Http.GetFromJsonAsync<UserProfile>("/api/users/me"))!.Phone);
    }

    public static TheoryData<string?, string?, string[]> BadUpdates => new()
    {
        { null, null, ["displayName"] },
        { "  ", "13800138000", ["displayName"] },
        { new string('名', 33), null, ["displayName"] },
        { "ok", "12345", ["phone"] },
        { "ok", "23800138000", ["phone"] },
        { "ok", "138001380001", ["phone"] },
        { "ok", "+1 4155550100", ["phone"] },
        { "", "phone", ["displayName", "phone"] },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task Bad_profile_updates_get_400_per_field_and_change_nothing(string? displayName, string? phone, string[] fields)
    {
        using var shopper = await users.Service.NewShopperAsync();
        await shopper.Http.PutAsJsonAsync("/api/users/me", new ProfileUpdate("原来的名字", "13800138000"));
        var before = await shopper.Http.GetFromJsonAsync<UserProfile>("/api/users/me");

        await ProblemAssert.FieldErrorsAsync(await shopper.Http.PutAsJsonAsync("/api/users/me", new ProfileUpdate(displayName, phone)), fields);

        Assert.Equal(before, await shopper.Http.GetFromJsonAsync<UserProfile>("/api/users/me"));
    }

    [Fact]
    public async Task A_malformed_profile_update_gets_a_400_problem()
    {
        using var shopper = await users.Service.NewShopperAsync();

        await ProblemAssert.StatusAsync(await shopper.Http.SendJsonAsync(HttpMethod.Put, "/api/users/me", "{\"displayName\": [}"), HttpStatusCode.BadRequest);
    }
}
