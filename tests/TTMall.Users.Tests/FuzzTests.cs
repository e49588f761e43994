using TTMall.ServiceDefaults.Validation;
using Xunit.Abstractions;

namespace TTMall.Users.Tests;

/// <summary>A few hundred generated bad requests to every endpoint of the OpenAPI document: none is a 5xx, and the service stays up.</summary>
[Collection(UsersCollection.Name)]
public sealed class FuzzTests(UsersServiceFixture users, ITestOutputHelper output)
{
    [Fact]
    public async Task Generated_bad_requests_get_no_5xx_and_the_service_keeps_serving()
    {
        // A replica of its own: its sign-in limits (per client address, in memory) are not the other tests' to run into.
        await using var service = users.StartReplica();
        using var shopper = await service.NewShopperAsync("fuzz");

        await ServiceFuzzing.AssertNoServerErrorsAsync("users", service.BaseAddress, () => shopper.Tokens.AccessToken, RequestBodies.DefaultMaxBytes, output);

        using var http = service.CreateClient();
        await (await http.SignInAsync(shopper.Email)).TokensAsync();
    }
}
