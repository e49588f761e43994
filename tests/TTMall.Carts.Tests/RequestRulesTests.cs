using System.Net;

namespace TTMall.Carts.Tests;

/// <summary>What every service does with any request: HEAD as GET, UTF-8 JSON only, bounded bodies.</summary>
[Collection(CartsCollection.Name)]
public class RequestRulesTests(CartsMall mall)
{
    [Theory]
    [MemberData(nameof(HttpChecks.CharsetsOtherThanUtf8), MemberType = typeof(HttpChecks))]
    public async Task Every_JSON_endpoint_refuses_a_charset_other_than_UTF_8_with_415_and_writes_nothing(string charset)
    {
        var product = await mall.Catalog.AddAsync(1.00m);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(product, 2);
        var endpoints = (await ApiOperations.ReadAsync(shopper)).Where(o => o.Body is not null).ToList();
        Assert.Equal(["POST /api/carts/me/items", "PUT /api/carts/me/items/{productId}"], endpoints.Select(o => o.ToString()).Order());

        foreach (var endpoint in endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.PathTemplate.Replace("{productId}", $"{product}"))
            {
                Content = HttpChecks.Json($$"""{"productId":{{product}},"quantity":5}""", charset),
            };
            await HttpChecks.AssertOnlyUtf8JsonAsync(await shopper.SendAsync(request));
        }

        Assert.Equal(2, (await shopper.GetCartAsync()).Line(product).Quantity);
    }

    [Fact]
    public async Task HEAD_answers_as_GET_on_every_GET_endpoint()
    {
        var product = await mall.Catalog.AddAsync(1.00m);
        var token = TestTokens.For(TestTokens.NewUser());
        using var shopper = mall.Client(token);
        await shopper.AddOkAsync(product, 1);
        var paths = (await ApiOperations.ReadAsync(shopper)).Where(o => o.Method == "GET").Select(o => o.PathTemplate).ToList();
        Assert.Equal([CartHttp.Cart], paths);

        Assert.Equal(200, await HttpChecks.AssertHeadAnswersAsGetAsync(mall.Carts.BaseAddress, CartHttp.Cart, token));
        Assert.Equal(401, await HttpChecks.AssertHeadAnswersAsGetAsync(mall.Carts.BaseAddress, CartHttp.Cart));
        Assert.Equal(200, await HttpChecks.AssertHeadAnswersAsGetAsync(mall.Carts.BaseAddress, "/health"));
    }

    [Fact]
    public async Task A_body_over_the_bound_is_413_before_anything_is_done_even_where_no_body_is_read()
    {
        var product = await mall.Catalog.AddAsync(1.00m);
        using var shopper = mall.NewShopper();
        await shopper.AddOkAsync(product, 3);
        var padding = new string('x', 5 * 1024);

        using var add = await shopper.PostAsync(CartHttp.Items, HttpChecks.Json($$"""{"productId":{{product}},"quantity":1,"padding":"{{padding}}"}"""));
        using var clear = await shopper.SendAsync(new HttpRequestMessage(HttpMethod.Delete, CartHttp.Cart) { Content = HttpChecks.Json($$"""{"padding":"{{padding}}"}""") });

        await ProblemAssert.StatusAsync(add, HttpStatusCode.RequestEntityTooLarge);
        await ProblemAssert.StatusAsync(clear, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(3, (await shopper.GetCartAsync()).Line(product).Quantity);
    }
}
