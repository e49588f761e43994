using TTMall.ServiceDefaults.Validation;
using TTMall.Testing.Fuzzing;
using Xunit.Abstractions;

namespace TTMall.Checkout.Tests;

/// <summary>A few hundred generated bad requests to every endpoint of the OpenAPI document: none is a 5xx, and the service stays up.</summary>
[Collection(CheckoutCollection.Name)]
public sealed class FuzzTests(CheckoutMall mall, ITestOutputHelper output)
{
    [Fact]
    public async Task Generated_bad_requests_get_no_5xx_and_the_service_keeps_serving()
    {
        // Every valid token is a new user's, known to no other service: what the fuzzer does touches no other test's data.
        await ServiceFuzzing.AssertNoServerErrorsAsync(
            "orders", mall.Orders.BaseAddress, () => TestTokens.For(TestTokens.NewUser("fuzz")), RequestBodies.DefaultMaxBytes, output);

        using var shopper = await mall.NewShopperAsync();
        await shopper.Cart.AddOkAsync(await mall.Catalog.AddAsync(1.00m), 1);
        Assert.Equal(1.00m, (await shopper.PlaceOkAsync()).Total);
    }
}
