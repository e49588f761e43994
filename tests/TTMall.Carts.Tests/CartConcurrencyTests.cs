using System.Net;

namespace TTMall.Carts.Tests;

/// <summary>
/// Two carts replicas on one Redis, requests for one cart spread over both and sent at once: every update counts
/// once, and no bound is passed together that each request alone would respect.
/// </summary>
[Collection(CartsCollection.Name)]
public class CartConcurrencyTests(CartsMall mall)
{
    [Fact]
    public async Task Parallel_adds_through_two_replicas_lose_no_update_and_stop_at_99()
    {
        var product = await mall.Catalog.AddAsync(2.50m, stock: 1000);
        await using var replica = mall.StartCarts();
        var token = TestTokens.For(TestTokens.NewUser());
        using var first = mall.Client(token);
        using var second = mall.Client(token, replica);

        var statuses = await AddAtOnceAsync(60, i => (i % 2 == 0 ? first : second, product));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var cart = await first.GetCartAsync();
        Assert.Equal((60, 150.00m), (cart.Line(product).Quantity, cart.Total));

        statuses = await AddAtOnceAsync(60, i => (i % 2 == 0 ? first : second, product));

        Assert.Equal(39, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(21, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(99, (await second.GetCartAsync()).Line(product).Quantity);
    }

    [Fact]
    public async Task Parallel_adds_through_two_replicas_never_hold_more_than_the_stock()
    {
        var product = await mall.Catalog.AddAsync(15.00m, stock: 10);
        await using var replica = mall.StartCarts();
        var token = TestTokens.For(TestTokens.NewUser());
        using var first = mall.Client(token);
        using var second = mall.Client(token, replica);

        var statuses = await AddAtOnceAsync(30, i => (i % 2 == 0 ? first : second, product));

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(10, (await first.GetCartAsync()).Line(product).Quantity);
    }

    [Fact]
    public async Task Parallel_adds_of_different_products_through_two_replicas_fill_the_cart_to_exactly_50_lines()
    {
        var products = new List<int>();
        for (var i = 0; i < CartStore.MaxLines + 10; i++)
        {
            products.Add(await mall.Catalog.AddAsync(1.00m));
        }

        await using var replica = mall.StartCarts();
        var token = TestTokens.For(TestTokens.NewUser());
        using var first = mall.Client(token);
        using var second = mall.Client(token, replica);

        var statuses = await AddAtOnceAsync(products.Count, i => (i % 2 == 0 ? first : second, products[i]));

        Assert.Equal(CartStore.MaxLines, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Conflict));
        var cart = await first.GetCartAsync();
        Assert.Equal(CartStore.MaxLines, cart.Lines.Count);
        Assert.Equal(CartStore.MaxLines, cart.ItemCount);
    }

    /// <summary>Sends <paramref name="count"/> adds of one piece together (released at once); returns their statuses, 200 or 409.</summary>
    private static async Task<HttpStatusCode[]> AddAtOnceAsync(int count, Func<int, (HttpClient Client, int Product)> request)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var adds = Enumerable.Range(0, count).Select(async i =>
        {
            await start.Task;
            var (client, product) = request(i);
            using var response = await client.AddAsync(product, 1);
            // Only a success or a refusal (bound, stock) is an answer to an add; anything else is a failure to explain.
            Assert.True(
                response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict,
                $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return response.StatusCode;
        }).ToList();
        start.SetResult();
        return await Task.WhenAll(adds);
    }
}
