using System.Net;
using TTMall.Contracts;
using TTMall.Orders;
using TTMall.Orders.Data;

namespace TTMall.Checkout.Tests;

[Collection(CheckoutCollection.Name)]
public sealed class PlaceOrderTests(CheckoutMall mall)
{
    [Fact]
    public async Task An_order_is_made_from_the_cart_with_the_products_services_prices_and_the_chosen_address()
    {
        using var shopper = await mall.NewShopperAsync("小红");
        var keyboard = await mall.Catalog.AddAsync(199.90m, stock: 10, name: "机械键盘");
        var mouse = await mall.Catalog.AddAsync(59m, stock: 10, name: "无线鼠标");
        await shopper.Cart.AddOkAsync(keyboard, 2);
        await shopper.Cart.AddOkAsync(mouse, 1);
        // The cart was filled at 199.90; the order is priced as products prices it now, whatever the cart remembers.
        await mall.Catalog.SetPriceAsync(keyboard, 189.50m);

        var before = DateTimeOffset.UtcNow;
        var order = await shopper.PlaceOkAsync();

        Assert.Equal(OrderStatus.Submitted, order.Status);
        Assert.Equal(
            [(keyboard, "机械键盘", 2, 189.50m, 379.00m), (mouse, "无线鼠标", 1, 59m, 59m)],
            order.Lines.Select(l => (l.ProductId, l.Name, l.Quantity, l.UnitPrice, l.LineTotal)));
        Assert.Equal(438.00m, order.Total);
        Assert.Equal("CNY", order.Currency);
        Assert.Equal((shopper.AddressId, "小红", "13800138000", "浙江省", "杭州市", "余杭区", "文一西路 969 号 3 号楼", "311121"),
            (order.Address.AddressId, order.Address.Recipient, order.Address.Phone, order.Address.Province, order.Address.City,
                order.Address.District, order.Address.Line, order.Address.PostalCode));
        Assert.InRange(order.CreatedAt, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Null(order.PaymentDeadline);

        var submitted = await mall.Bus.WaitForAsync<OrderSubmitted>(e => e.OrderId == order.Id);
        Assert.Equal(shopper.Id, submitted.UserId);
        Assert.Equal(438.00m, submitted.Total);
        Assert.Equal(
            [new OrderLine(keyboard, "机械键盘", 2, 189.50m), new OrderLine(mouse, "无线鼠标", 1, 59m)],
            submitted.Lines);
    }

    [Fact]
    public async Task The_owner_reads_the_order_and_the_list_newest_first_and_nobody_else_sees_it()
    {
        using var shopper = await mall.NewShopperAsync();
        using var other = await mall.NewShopperAsync("other");
        var product = await mall.Catalog.AddAsync(10m);
        var placed = new List<OrderDto>();
        for (var i = 1; i <= 3; i++)
        {
            await shopper.Cart.AddOkAsync(product, i);
            placed.Add(await shopper.PlaceOkAsync());
            await shopper.Cart.ClearAsync();
        }

        // Products reserves the stock: the owner reads each order as it now is.
        var detail = await shopper.WaitForStatusAsync(placed[0].Id, OrderStatus.AwaitingPayment);
        Assert.Equal((placed[0].Id, 10m), (detail.Id, detail.Total));

        var page = await shopper.ListAsync();
        Assert.Equal(3, page.Total);
        Assert.Equal(placed.Select(o => o.Id).Reverse(), page.Items.Select(o => o.Id));
        var second = await shopper.ListAsync("?page=2&pageSize=2");
        Assert.Equal((2, 2, 3), (second.Page, second.PageSize, second.Total));
        Assert.Equal([placed[0].Id], second.Items.Select(o => o.Id));

        using var notMine = await other.Orders.GetAsync($"/api/orders/{placed[0].Id}");
        await ProblemAssert.StatusAsync(notMine, HttpStatusCode.NotFound);
        using var cancelNotMine = await other.CancelAsync(placed[0].Id);
        await ProblemAssert.StatusAsync(cancelNotMine, HttpStatusCode.NotFound);
        Assert.Equal(0, (await other.ListAsync()).Total);
        Assert.Equal(OrderStatus.AwaitingPayment, (await shopper.GetOrderAsync(placed[0].Id)).Status);
    }

    [Fact]
    public async Task Without_a_valid_token_nothing_is_answered()
    {
        using var anonymous = mall.OrdersClient(null);
        using var list = await anonymous.GetAsync("/api/orders");
        await ProblemAssert.StatusAsync(list, HttpStatusCode.Unauthorized);
        using var place = await anonymous.PlaceAsync(new { addressId = Guid.NewGuid() }, Guid.NewGuid().ToString());
        await ProblemAssert.StatusAsync(place, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?pageSize=101")]
    [InlineData("?page=abc")]
    [InlineData("?page=1000&pageSize=100")]
    public async Task Bad_paging_is_a_400_naming_the_parameter(string query)
    {
        using var http = mall.OrdersClient(TestTokens.For(TestTokens.NewUser()));
        using var response = await http.GetAsync($"/api/orders{query}");
        var problem = await ProblemAssert.StatusAsync(response, HttpStatusCode.BadRequest);
        Assert.Single(problem.Errors);
    }
}
