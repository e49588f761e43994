using Xunit.Abstractions;

namespace TTMall.Carts.Tests;

/// <summary>A few hundred generated bad requests to every endpoint of the OpenAPI document: none is a 5xx, and the service stays up.</summary>
[Collection(CartsCollection.Name)]
public sealed class FuzzTests(CartsMall mall, ITestOutputHelper output)
{
    [Fact]
    public async Task Generated_bad_requests_get_no_5xx_and_the_service_keeps_serving()
    {
        // Every valid token is a new user's, so what the fuzzer puts in carts is in no other test's.
        await ServiceFuzzing.AssertNoServerErrorsAsync(
            "carts", mall.Carts.BaseAddress, () => TestTokens.For(TestTokens.NewUser("fuzz")), CartsApi.MaxBodyBytes, output);

        var product = await mall.Catalog.AddAsync(1.00m);
        using var shopper = mall.NewShopper();
        Assert.Equal(1, (await shopper.AddOkAsync(product, 1)).Quantity);
    }
}
