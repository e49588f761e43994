using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace TTMall.Carts.Tests;

/// <summary>Bad input is a 400 with per-field errors (never a 500), and nothing of it is written.</summary>
[Collection(CartsCollection.Name)]
public class CartInputTests(CartsMall mall)
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100)]
    [InlineData(int.MaxValue)]
    public async Task A_quantity_outside_1_to_99_is_refused(int quantity)
    {
        var product = await mall.Catalog.AddAsync(1.00m, stock: 1000);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(product, 4);

        using var added = await shopper.AddAsync(product, quantity);
        using var set = await shopper.SetAsync(product, quantity);

        await ProblemAssert.FieldErrorsAsync(added, "quantity");
        await ProblemAssert.FieldErrorsAsync(set, "quantity");
        Assert.Equal(4, (await shopper.GetCartAsync()).Line(product).Quantity);
    }

    [Fact]
    public async Task The_bounds_themselves_are_allowed()
    {
        var product = await mall.Catalog.AddAsync(1.00m, stock: 1000);
        using var shopper = mall.NewShopper();

        Assert.Equal(1, (await shopper.AddOkAsync(product, 1)).Quantity);
        using var set = await shopper.SetAsync(product, 99);
        Assert.Equal(99, (await CartHttp.OkAsync<CartLine>(set)).Quantity);
    }

    [Fact]
    public async Task Adding_past_99_in_one_line_is_a_conflict_and_leaves_the_line_as_it_was()
    {
        var product = await mall.Catalog.AddAsync(1.00m, stock: 1000);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(product, 97);

        using var response = await shopper.AddAsync(product, 3);

        var problem = await ProblemAssert.CodeAsync(response, HttpStatusCode.Conflict, "line-limit");
        Assert.Equal(97, problem.Extension<int>("inCart"));
        Assert.Equal(99, (await shopper.AddOkAsync(product, 2)).Quantity);
    }

    [Fact]
    public async Task A_cart_holds_at_most_50_products()
    {
        var products = new List<int>();
        for (var i = 0; i < CartStore.MaxLines + 1; i++)
        {
            products.Add(await mall.Catalog.AddAsync(1.00m));
        }

        using var shopper = mall.NewShopper();
        foreach (var product in products.Take(CartStore.MaxLines))
        {
            await shopper.AddOkAsync(product, 1);
        }

        using var added = await shopper.AddAsync(products[^1], 1);
        using var set = await shopper.SetAsync(products[^1], 1);

        await ProblemAssert.CodeAsync(added, HttpStatusCode.Conflict, "cart-full");
        await ProblemAssert.CodeAsync(set, HttpStatusCode.Conflict, "cart-full");
        // A product already in the full cart can still be added to.
        Assert.Equal(2, (await shopper.AddOkAsync(products[0], 1)).Quantity);
        var cart = await shopper.GetCartAsync();
        Assert.Equal(CartStore.MaxLines, cart.Lines.Count);
        Assert.DoesNotContain(cart.Lines, l => l.ProductId == products[^1]);
    }

    [Theory]
    [InlineData("""{"quantity": 1}""", "productId")]
    [InlineData("""{"productId": 0, "quantity": 1}""", "productId")]
    [InlineData("""{"productId": -5, "quantity": 1}""", "productId")]
    [InlineData("""{"productId": 1}""", "quantity")]
    [InlineData("""{}""", "productId", "quantity")]
    [InlineData("""{"productId": "one", "quantity": 1}""", "productId")]
    [InlineData("""{"productId": 1, "quantity": 1.5}""", "quantity")]
    [InlineData("""{"productId": 1, "quantity": 1e12}""", "quantity")]
    [InlineData("""{"productId": 1, "quantity": {"n": 1}}""", "quantity")]
    [InlineData("""{"productId": 99999999999, "quantity": 1}""", "productId")]
    [InlineData("""{"productId": 1, "quantity": 1""", "quantity")] // cut off: named where parsing stopped, as every service does
    [InlineData("""[1, 2]""", "body")]
    [InlineData("""null""", "body")]
    [InlineData("", "body")]
    public async Task A_malformed_add_names_the_field_at_fault(string json, params string[] fields)
    {
        using var shopper = mall.NewShopper();

        using var response = await shopper.PostAsync(CartHttp.Items, new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.FieldErrorsAsync(response, fields);
        Assert.Empty((await shopper.GetCartAsync()).Lines);
    }

    [Theory]
    [InlineData("""{}""", "quantity")]
    [InlineData("""{"quantity": "many"}""", "quantity")]
    [InlineData("""not json""", "body")]
    public async Task A_malformed_quantity_change_names_the_field_at_fault(string json, string field)
    {
        var product = await mall.Catalog.AddAsync(1.00m);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(product, 3);

        using var response = await shopper.PutAsync($"{CartHttp.Items}/{product}", new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.FieldErrorsAsync(response, field);
        Assert.Equal(3, (await shopper.GetCartAsync()).Line(product).Quantity);
    }

    [Fact]
    public async Task A_product_id_in_the_path_must_be_positive()
    {
        using var shopper = mall.NewShopper();

        using var response = await shopper.SetAsync(0, 1);

        await ProblemAssert.FieldErrorsAsync(response, "productId");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        var product = await mall.Catalog.AddAsync(1.00m);
        using var shopper = mall.NewShopper();

        using var response = await shopper.PostAsync(CartHttp.Items, new StringContent($"productId={product}&quantity=1", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await ProblemAssert.StatusAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Empty((await shopper.GetCartAsync()).Lines);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_without_a_500()
    {
        using var shopper = mall.NewShopper();
        var padding = new string('x', 64 * 1024);

        using var response = await shopper.PostAsJsonAsync(CartHttp.Items, new { productId = 1, quantity = 1, padding });

        await ProblemAssert.StatusAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty((await shopper.GetCartAsync()).Lines);
    }
}
