using System.Net;

namespace TTMall.Checkout.Tests;

/// <summary>Each reason an order is not placed: its problem, and no order written.</summary>
[Collection(CheckoutCollection.Name)]
public sealed class RefusalTests(CheckoutMall mall)
{
    [Fact]
    public async Task An_empty_cart_is_409_empty_cart()
    {
        using var shopper = await mall.NewShopperAsync();

        using var response = await shopper.PlaceAsync();

        await ProblemAssert.CodeAsync(response, HttpStatusCode.Conflict, "empty-cart");
        Assert.Equal(0, await mall.OrderCountAsync(shopper.Id));
    }

    [Fact]
    public async Task An_address_that_is_not_the_shoppers_is_a_400_on_addressId()
    {
        using var shopper = await mall.NewShopperAsync();
        using var other = await mall.NewShopperAsync("other");
        await shopper.Cart.AddOkAsync(await mall.Catalog.AddAsync(12m), 1);

        foreach (var addressId in new[] { other.AddressId, Guid.NewGuid() })
        {
            using var response = await shopper.PlaceAsync(addressId: addressId);
            await ProblemAssert.FieldErrorsAsync(response, "addressId");
        }

        Assert.Equal(0, await mall.OrderCountAsync(shopper.Id));
    }

    [Theory]
    [InlineData("{}", "addressId")]
    [InlineData("""{"addressId":"00000000-0000-0000-0000-000000000000"}""", "addressId")]
    [InlineData("""{"addressId":"not-a-guid"}""", "addressId")]
    [InlineData("""{"addressId":"0196a0b0-0000-7000-8000-000000000000","expectedTotal":-1}""", "expectedTotal")]
    [InlineData("""{"addressId":"0196a0b0-0000-7000-8000-000000000000","expectedTotal":1.234}""", "expectedTotal")]
    [InlineData("""{"addressId":"0196a0b0-0000-7000-8000-000000000000","expectedTotal":"ten"}""", "expectedTotal")]
    [InlineData("null", "body")]
    [InlineData("[", "body")]
    public async Task Bad_input_is_a_400_naming_the_field(string json, string field)
    {
        var user = TestTokens.NewUser();
        using var http = mall.OrdersClient(TestTokens.For(user));
        using var request = new HttpRequestMessage(HttpMethod.Post, OrderHttp.Orders)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await http.SendAsync(request);

        await ProblemAssert.FieldErrorsAsync(response, field);
        Assert.Equal(0, await mall.OrderCountAsync(user.Id));
    }

    [Fact]
    public async Task A_product_gone_since_it_was_put_in_the_cart_is_409_naming_it()
    {
        using var shopper = await mall.NewShopperAsync();
        var kept = await mall.Catalog.AddAsync(5m);
        var gone = await mall.Catalog.AddAsync(6m);
        await shopper.Cart.AddOkAsync(kept, 1);
        await shopper.Cart.AddOkAsync(gone, 1);
        await mall.Catalog.DeleteAsync(gone);

        using var response = await shopper.PlaceAsync();

        var problem = await ProblemAssert.CodeAsync(response, HttpStatusCode.Conflict, "product-unavailable");
        Assert.Equal([gone], problem.Extension<int[]>("productIds"));
        Assert.Contains(gone.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.Detail);
        Assert.Equal(0, await mall.OrderCountAsync(shopper.Id));
    }

    [Fact]
    public async Task Stock_below_the_quantity_is_409_naming_the_product()
    {
        using var shopper = await mall.NewShopperAsync();
        var scarce = await mall.Catalog.AddAsync(80m, stock: 5, name: $"限量手办 {Guid.NewGuid():N}");
        var plenty = await mall.Catalog.AddAsync(8m, stock: 50);
        await shopper.Cart.AddOkAsync(scarce, 4);
        await shopper.Cart.AddOkAsync(plenty, 4);
        await mall.Catalog.SetStockAsync(scarce, 3);

        using var response = await shopper.PlaceAsync();

        var problem = await ProblemAssert.CodeAsync(response, HttpStatusCode.Conflict, "insufficient-stock");
        Assert.Equal([scarce], problem.Extension<int[]>("productIds"));
        Assert.Contains("限量手办", problem.Detail);
        Assert.Equal(0, await mall.OrderCountAsync(shopper.Id));
    }

    [Fact]
    public async Task An_expected_total_that_is_no_longer_the_total_is_409_prices_changed_with_the_current_total()
    {
        using var shopper = await mall.NewShopperAsync();
        var product = await mall.Catalog.AddAsync(100m);
        await shopper.Cart.AddOkAsync(product, 2);
        await mall.Catalog.SetPriceAsync(product, 110m);

        using var response = await shopper.PlaceAsync(expectedTotal: 200m);

        var problem = await ProblemAssert.CodeAsync(response, HttpStatusCode.Conflict, "prices-changed");
        Assert.Equal(220m, problem.Extension<decimal>("currentTotal"));
        Assert.Equal(0, await mall.OrderCountAsync(shopper.Id));

        // With the total the shopper has now seen, it goes through.
        var order = await shopper.PlaceOkAsync(expectedTotal: 220m);
        Assert.Equal(220m, order.Total);
    }
}
