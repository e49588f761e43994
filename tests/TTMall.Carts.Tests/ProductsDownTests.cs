using System.Net;

namespace TTMall.Carts.Tests;

/// <summary>
/// Without the products service, carts cannot price or check anything: they say so with a 503 problem, write
/// nothing, and still do what needs no products (removing, clearing).
/// </summary>
[Collection(CartsCollection.Name)]
public class ProductsDownTests(CartsMall mall)
{
    [Fact]
    public async Task Reads_and_adds_get_a_503_problem_and_the_cart_is_left_as_it_was()
    {
        var product = await mall.Catalog.AddAsync(20.00m);
        var token = TestTokens.For(TestTokens.NewUser());
        using var shopper = mall.Client(token);
        await shopper.AddOkAsync(product, 2);
        // A carts replica whose products address has nothing listening: products are down as far as it can tell.
        await using var cut = mall.StartCarts(products: new Uri($"http://127.0.0.1:{FreePort.OnLoopback()}"));
        using var cutOff = mall.Client(token, cut);

        using var read = await cutOff.GetAsync(CartHttp.Cart);
        using var added = await cutOff.AddAsync(product, 1);
        using var set = await cutOff.SetAsync(product, 5);

        foreach (var response in new[] { read, added, set })
        {
            var problem = await ProblemAssert.StatusAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("product", problem.Title, StringComparison.OrdinalIgnoreCase);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Assert.Equal(2, (await shopper.GetCartAsync()).Line(product).Quantity);
    }

    [Fact]
    public async Task Removing_and_clearing_need_no_products_and_an_empty_cart_reads_without_them()
    {
        var product = await mall.Catalog.AddAsync(20.00m);
        var other = await mall.Catalog.AddAsync(30.00m);
        var token = TestTokens.For(TestTokens.NewUser());
        using var shopper = mall.Client(token);
        await shopper.AddOkAsync(product, 1);
        await shopper.AddOkAsync(other, 1);
        await using var cut = mall.StartCarts(products: new Uri($"http://127.0.0.1:{FreePort.OnLoopback()}"));
        using var cutOff = mall.Client(token, cut);

        Assert.Equal(HttpStatusCode.NoContent, (await cutOff.RemoveAsync(product)).StatusCode);
        Assert.Equal([other], (await shopper.GetCartAsync()).Lines.Select(l => l.ProductId));
        Assert.Equal(HttpStatusCode.NoContent, (await cutOff.ClearAsync()).StatusCode);
        Assert.Empty((await cutOff.GetCartAsync()).Lines);
    }
}
