using System.Net;
using System.Net.Http.Json;

namespace TTMall.Users.Tests;

/// <summary>One shopper's token never reaches another shopper's data, and cannot even tell it exists.</summary>
[Collection(UsersCollection.Name)]
public sealed class IsolationTests(UsersServiceFixture users)
{
    private const string Addresses = "/api/users/me/addresses";

    [Fact]
    public async Task Another_users_address_answers_404_like_one_that_does_not_exist_and_stays_untouched()
    {
        using var alice = await users.Service.NewShopperAsync("alice");
        using var bob = await users.Service.NewShopperAsync("bob");
        var alicesDefault = await alice.Http.AddAddressAsync(UsersHttp.Address("Alice 家"));
        var alicesOther = await alice.Http.AddAddressAsync(UsersHttp.Address("Alice 公司"));
        var bobs = await bob.Http.AddAddressAsync(UsersHttp.Address("Bob 家"));

        foreach (var id in new[] { alicesDefault.Id, alicesOther.Id, Guid.NewGuid() })
        {
            var get = await bob.Http.GetAsync($"{Addresses}/{id}");
            var put = await bob.Http.PutAsJsonAsync($"{Addresses}/{id}", UsersHttp.Address("Bob 改的", isDefault: true));
            var makeDefault = await bob.Http.PutAsync($"{Addresses}/{id}/default", null);
            var delete = await bob.Http.DeleteAsync($"{Addresses}/{id}");
            foreach (var response in new[] { get, put, makeDefault, delete })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal([alicesDefault, alicesOther], await alice.Http.AddressesAsync());
        Assert.Equal([bobs], await bob.Http.AddressesAsync());
    }

    [Fact]
    public async Task Each_user_reads_and_changes_only_their_own_profile()
    {
        using var alice = await users.Service.NewShopperAsync("alice");
        using var bob = await users.Service.NewShopperAsync("bob");

        await bob.Http.PutAsJsonAsync("/api/users/me", new ProfileUpdate("Bob 新名字", "13700000000"));

        Assert.Equal(alice.Tokens.User, await alice.Http.GetFromJsonAsync<UserProfile>("/api/users/me"));
        var bobsProfile = (await bob.Http.GetFromJsonAsync<UserProfile>("/api/users/me"))!;
        Assert.Equal((bob.Id, bob.Email, "Bob 新名字"), (bobsProfile.Id, bobsProfile.Email, bobsProfile.DisplayName));
        // There is no route that takes a user id: /api/users/{id} is not a profile.
        Assert.NotEqual(HttpStatusCode.OK, (await bob.Http.GetAsync($"/api/users/{alice.Id}")).StatusCode);
    }
}
