using System.Net;
using TTMall.Orders;

namespace TTMall.Checkout.Tests;

[Collection(CheckoutCollection.Name)]
public sealed class IdempotencyKeyTests(CheckoutMall mall)
{
    [Fact]
    public async Task The_same_key_again_is_answered_with_the_same_order_and_makes_no_second()
    {
        using var shopper = await mall.NewShopperAsync();
        await shopper.Cart.AddOkAsync(await mall.Catalog.AddAsync(25m), 2);
        var key = Guid.NewGuid().ToString();

        using var first = await shopper.PlaceAsync(key: key);
        var order = await OrderHttp.ReadAsync<OrderDto>(first, HttpStatusCode.Created);
        // Emptied meanwhile, as the carts service does once the order is submitted: the repeat still gets the order.
        await shopper.Cart.ClearAsync();
        using var again = await shopper.PlaceAsync(key: key);
        var repeated = await OrderHttp.ReadAsync<OrderDto>(again, HttpStatusCode.Created);

        Assert.Equal((order.Id, order.Total), (repeated.Id, repeated.Total));
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(1, await mall.OrderCountAsync(shopper.Id));
    }

    [Fact]
    public async Task Five_requests_at_once_with_one_key_make_one_order_and_all_get_it()
    {
        using var shopper = await mall.NewShopperAsync();
        await shopper.Cart.AddOkAsync(await mall.Catalog.AddAsync(9.90m), 3);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => shopper.PlaceAsync(key: key)));
        var orders = await Task.WhenAll(responses.Select(r => OrderHttp.ReadAsync<OrderDto>(r, HttpStatusCode.Created)));

        Assert.Single(orders.Select(o => o.Id).Distinct());
        Assert.Equal(1, await mall.OrderCountAsync(shopper.Id));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_changes_nothing()
    {
        using var shopper = await mall.NewShopperAsync();
        await shopper.Cart.AddOkAsync(await mall.Catalog.AddAsync(30m), 1);
        var key = Guid.NewGuid().ToString();
        using var first = await shopper.PlaceAsync(key: key);
        await OrderHttp.ReadAsync<OrderDto>(first, HttpStatusCode.Created);

        using var other = await shopper.PlaceAsync(expectedTotal: 30m, key: key);

        await ProblemAssert.StatusAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await mall.OrderCountAsync(shopper.Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("with space")]
    public async Task A_missing_or_malformed_key_is_a_400_naming_the_header(string? key)
    {
        // The key is checked before anything is read: a user known to the token alone is enough.
        var user = TestTokens.NewUser();
        using var http = mall.OrdersClient(TestTokens.For(user));

        using var response = await http.PlaceAsync(new { addressId = Guid.NewGuid() }, key);

        await ProblemAssert.FieldErrorsAsync(response, "Idempotency-Key");
        Assert.Equal(0, await mall.OrderCountAsync(user.Id));
    }
}
