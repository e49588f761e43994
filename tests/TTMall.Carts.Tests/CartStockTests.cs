using System.Net;

namespace TTMall.Carts.Tests;

[Collection(CartsCollection.Name)]
public class CartStockTests(CartsMall mall)
{
    [Fact]
    public async Task An_unknown_product_is_refused_with_a_field_error_when_added_and_404_when_set()
    {
        var unknown = await mall.Catalog.UnknownIdAsync();
        using var shopper = mall.NewShopper();

        using var added = await shopper.AddAsync(unknown, 1);
        using var set = await shopper.SetAsync(unknown, 1);

        var problem = await ProblemAssert.FieldErrorsAsync(added, "productId");
        Assert.Contains(unknown.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.Errors["productId"][0]);
        await ProblemAssert.StatusAsync(set, HttpStatusCode.NotFound);
        Assert.Empty((await shopper.GetCartAsync()).Lines);
    }

    [Fact]
    public async Task An_out_of_stock_product_is_refused_with_409()
    {
        var product = await mall.Catalog.AddAsync(25.00m);
        await mall.Catalog.SetStockAsync(product, 0);
        using var shopper = mall.NewShopper();

        using var added = await shopper.AddAsync(product, 1);
        using var set = await shopper.SetAsync(product, 1);

        var problem = await ProblemAssert.CodeAsync(added, HttpStatusCode.Conflict, "out-of-stock");
        Assert.Equal(0, problem.Extension<int>("available"));
        await ProblemAssert.CodeAsync(set, HttpStatusCode.Conflict, "out-of-stock");
        Assert.Empty((await shopper.GetCartAsync()).Lines);
    }

    [Fact]
    public async Task A_line_cannot_hold_more_than_the_stock_and_the_refusal_says_how_many_there_are()
    {
        var product = await mall.Catalog.AddAsync(9.90m, stock: 5);
        using var shopper = mall.NewShopper();

        using var tooMany = await shopper.AddAsync(product, 6);
        var problem = await ProblemAssert.CodeAsync(tooMany, HttpStatusCode.Conflict, "insufficient-stock");
        Assert.Equal((5, 0), (problem.Extension<int>("available"), problem.Extension<int>("inCart")));
        Assert.Empty((await shopper.GetCartAsync()).Lines);

        await shopper.AddOkAsync(product, 3);
        using var beyond = await shopper.AddAsync(product, 3);
        problem = await ProblemAssert.CodeAsync(beyond, HttpStatusCode.Conflict, "insufficient-stock");
        Assert.Equal((5, 3), (problem.Extension<int>("available"), problem.Extension<int>("inCart")));
        using var setBeyond = await shopper.SetAsync(product, 6);
        await ProblemAssert.CodeAsync(setBeyond, HttpStatusCode.Conflict, "insufficient-stock");

        Assert.Equal(5, (await shopper.AddOkAsync(product, 2)).Quantity);
        Assert.Equal(5, (await shopper.GetCartAsync()).Line(product).Quantity);
    }

    [Fact]
    public async Task Adding_checks_the_stock_as_it_is_now_not_as_it_was()
    {
        var product = await mall.Catalog.AddAsync(40.00m, stock: 10);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(product, 2);
        Assert.Equal(CartLineStatus.Available, (await shopper.GetCartAsync()).Line(product).Status);

        await mall.Catalog.SetStockAsync(product, 2);

        // The read just before cached the product with stock 10; adding must ask products again.
        using var more = await shopper.AddAsync(product, 1);
        await ProblemAssert.CodeAsync(more, HttpStatusCode.Conflict, "insufficient-stock");

        await mall.Catalog.SetStockAsync(product, 1);
        var line = await Eventually.FoundAsync(
            async () => (await shopper.GetCartAsync()).Line(product) is { Status: CartLineStatus.InsufficientStock } l ? l : null,
            TimeSpan.FromSeconds(5), "a line above the stock is shown as such");
        Assert.Equal((2, 80.00m), (line.Quantity, line.LineTotal));
    }
}
