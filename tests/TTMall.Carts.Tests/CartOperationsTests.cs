using System.Net;
using System.Net.Http.Json;

namespace TTMall.Carts.Tests;

[Collection(CartsCollection.Name)]
public class CartOperationsTests(CartsMall mall)
{
    [Fact]
    public async Task A_new_shopper_has_an_empty_cart()
    {
        using var shopper = mall.NewShopper();

        var cart = await shopper.GetCartAsync();

        Assert.Empty(cart.Lines);
        Assert.Equal(0, cart.ItemCount);
        Assert.Equal(0m, cart.Total);
        Assert.Equal("CNY", cart.Currency);
    }

    [Fact]
    public async Task Adding_creates_a_line_priced_by_products_and_adding_again_adds_to_it()
    {
        var keyboard = await mall.Catalog.AddAsync(499.00m, stock: 10, name: $"键盘 {Guid.NewGuid():N}");
        using var shopper = mall.NewShopper();

        var added = await shopper.AddOkAsync(keyboard, 2);
        var again = await shopper.AddOkAsync(keyboard, 3);

        Assert.Equal((2, 998.00m, CartLineStatus.Available), (added.Quantity, added.LineTotal, added.Status));
        Assert.Equal((5, 499.00m, 2495.00m), (again.Quantity, again.UnitPrice, again.LineTotal));
        Assert.StartsWith("键盘", again.Name);
        var cart = await shopper.GetCartAsync();
        var line = cart.Line(keyboard);
        Assert.Equal((5, 499.00m, 2495.00m, CartLineStatus.Available), (line.Quantity, line.UnitPrice, line.LineTotal, line.Status));
        Assert.Equal(added.AddedAt, line.AddedAt);
        Assert.Equal((5, 2495.00m), (cart.ItemCount, cart.Total));
    }

    [Fact]
    public async Task Totals_are_exact_decimal_money()
    {
        // 0.1 + 0.2 is 0.30000000000000004 in binary floating point; CNY must add up to the fen.
        var dime = await mall.Catalog.AddAsync(0.10m);
        var twoDimes = await mall.Catalog.AddAsync(0.20m);
        var odd = await mall.Catalog.AddAsync(19.99m);
        using var shopper = mall.NewShopper();

        await shopper.AddOkAsync(dime, 1);
        await shopper.AddOkAsync(twoDimes, 1);
        await shopper.AddOkAsync(odd, 3);

        var cart = await shopper.GetCartAsync();
        Assert.Equal(60.27m, cart.Total);
        Assert.Equal(59.97m, cart.Line(odd).LineTotal);
        Assert.Equal([dime, twoDimes, odd], cart.Lines.Select(l => l.ProductId));
        var json = await shopper.GetCartJsonAsync();
        Assert.Equal("60.27", json.GetProperty("total").GetRawText());
        Assert.Equal(["0.10", "0.20", "59.97"], json.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("lineTotal").GetRawText()));
    }

    [Fact]
    public async Task The_price_is_the_products_price_never_the_clients()
    {
        var product = await mall.Catalog.AddAsync(88.80m);
        using var shopper = mall.NewShopper();

        using var response = await shopper.PostAsJsonAsync(CartHttp.Items, new { productId = product, quantity = 1, price = 0.01m, unitPrice = 0.01m });

        var line = await CartHttp.OkAsync<CartLine>(response);
        Assert.Equal(88.80m, line.UnitPrice);
        Assert.Equal(88.80m, (await shopper.GetCartAsync()).Total);
    }

    [Fact]
    public async Task A_changed_price_shows_on_later_reads()
    {
        var product = await mall.Catalog.AddAsync(100.00m);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(product, 2);
        Assert.Equal(200.00m, (await shopper.GetCartAsync()).Total);

        await mall.Catalog.SetPriceAsync(product, 79.90m);

        // Reads may reuse a product for CartsOptions.ProductSnapshotLifetime (2 s by default).
        await Eventually.HoldsAsync(
            async () => (await shopper.GetCartAsync()).Total == 159.80m, TimeSpan.FromSeconds(5), "the cart is priced at the new price");
        var line = (await shopper.GetCartAsync()).Line(product);
        Assert.Equal((79.90m, 159.80m), (line.UnitPrice, line.LineTotal));
    }

    [Fact]
    public async Task Setting_the_quantity_replaces_it_and_creates_a_missing_line()
    {
        var product = await mall.Catalog.AddAsync(10.00m, stock: 50);
        var other = await mall.Catalog.AddAsync(3.50m, stock: 50);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(product, 5);

        using var lowered = await shopper.SetAsync(product, 2);
        using var created = await shopper.SetAsync(other, 4);
        using var repeated = await shopper.SetAsync(other, 4);

        Assert.Equal(2, (await CartHttp.OkAsync<CartLine>(lowered)).Quantity);
        var createdLine = await CartHttp.OkAsync<CartLine>(created);
        Assert.Equal((4, 14.00m), (createdLine.Quantity, createdLine.LineTotal));
        Assert.Equal(4, (await CartHttp.OkAsync<CartLine>(repeated)).Quantity);
        var cart = await shopper.GetCartAsync();
        Assert.Equal((2, 4), (cart.Line(product).Quantity, cart.Line(other).Quantity));
        Assert.Equal((6, 34.00m), (cart.ItemCount, cart.Total));
    }

    [Fact]
    public async Task Removing_a_line_leaves_the_others_and_removing_it_again_is_no_error()
    {
        var first = await mall.Catalog.AddAsync(1.00m);
        var second = await mall.Catalog.AddAsync(2.00m);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(first, 1);
        await shopper.AddOkAsync(second, 1);

        using var removed = await shopper.RemoveAsync(first);
        using var again = await shopper.RemoveAsync(first);

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (removed.StatusCode, again.StatusCode));
        var cart = await shopper.GetCartAsync();
        Assert.Equal([second], cart.Lines.Select(l => l.ProductId));
        Assert.Equal(2.00m, cart.Total);
    }

    [Fact]
    public async Task Clearing_empties_the_cart_and_it_can_be_filled_again()
    {
        var product = await mall.Catalog.AddAsync(5.00m);
        var other = await mall.Catalog.AddAsync(6.00m);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(product, 2);
        await shopper.AddOkAsync(other, 1);

        using var cleared = await shopper.ClearAsync();

        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        var empty = await shopper.GetCartAsync();
        Assert.Empty(empty.Lines);
        Assert.Equal(0m, empty.Total);
        Assert.Equal(1, (await shopper.AddOkAsync(product, 1)).Quantity);
    }

    [Fact]
    public async Task A_product_that_disappeared_shows_as_unavailable_and_counts_toward_no_total()
    {
        var kept = await mall.Catalog.AddAsync(12.00m);
        var gone = await mall.Catalog.AddAsync(30.00m);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(kept, 1);
        await shopper.AddOkAsync(gone, 2);

        await mall.Catalog.DeleteAsync(gone);

        var cart = await Eventually.FoundAsync(
            async () => await shopper.GetCartAsync() is var c && c.Line(gone).Status == CartLineStatus.Unavailable ? c : null,
            TimeSpan.FromSeconds(5), "the deleted product shows as unavailable");
        var line = cart.Line(gone);
        Assert.Equal((2, null, null, null), (line.Quantity, line.Name, line.UnitPrice, line.LineTotal));
        Assert.Equal(CartLineStatus.Available, cart.Line(kept).Status);
        Assert.Equal(12.00m, cart.Total);

        // The shopper can still remove it.
        Assert.Equal(HttpStatusCode.NoContent, (await shopper.RemoveAsync(gone)).StatusCode);
        Assert.Equal([kept], (await shopper.GetCartAsync()).Lines.Select(l => l.ProductId));
    }

    [Fact]
    public async Task The_OpenAPI_document_names_and_describes_every_cart_endpoint()
    {
        using var http = mall.Client(token: null);

        var document = await http.GetStringAsync("/openapi/v1.json");

        foreach (var name in new[] { "GetMyCart", "AddToMyCart", "SetMyCartItemQuantity", "RemoveFromMyCart", "ClearMyCart" })
        {
            Assert.Contains($"\"operationId\": \"{name}\"", document);
        }

        Assert.Contains("\"/api/carts/me/items/{productId}\"", document);
        Assert.Contains("The caller's cart", document);
    }
}
