using System.Net;

namespace TTMall.Checkout.Tests;

/// <summary>Without carts, users or products an order cannot be made: a 503 problem naming what is missing, and nothing written.</summary>
[Collection(CheckoutCollection.Name)]
public sealed class DependencyDownTests(CheckoutMall mall)
{
    [Theory]
    [InlineData("carts", "cart")]
    [InlineData("users", "address")]
    [InlineData("products", "product")]
    public async Task A_service_orders_reads_from_being_down_is_a_503_problem_and_no_order(string service, string titleWord)
    {
        using var shopper = await mall.NewShopperAsync();
        await shopper.Cart.AddOkAsync(await mall.Catalog.AddAsync(15m), 1);
        await using var cut = mall.StartOrders(down: service);
        using var cutOff = mall.OrdersClient(shopper.Token, cut);

        using var response = await cutOff.PlaceAsync(new { addressId = shopper.AddressId }, Guid.NewGuid().ToString());

        var problem = await ProblemAssert.StatusAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains(titleWord, problem.Title, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, await mall.OrderCountAsync(shopper.Id));
    }
}
