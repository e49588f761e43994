using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Products.Tests;

/// <summary>What every service does with any request: HEAD as GET, UTF-8 JSON only, bounded bodies.</summary>
[Collection(ProductsCollection.Name)]
public class RequestRulesTests(ProductsFixture products)
{
    [Theory]
    [MemberData(nameof(HttpChecks.CharsetsOtherThanUtf8), MemberType = typeof(HttpChecks))]
    public async Task Every_JSON_endpoint_refuses_a_charset_other_than_UTF_8_with_415_and_writes_nothing(string charset)
    {
        // Staff, so that every JSON endpoint (a review, a price) gets as far as reading the body.
        using var http = products.Client(TestTokens.For(TestTokens.NewUser() with { IsStaff = true }));
        var id = await http.IdOfAsync("TT 超大鼠标垫 900×400");
        var before = (await CountReviewsAsync(id), (await http.ProductAsync(id)).Price);
        var endpoints = (await ApiOperations.ReadAsync(http)).Where(o => o.Body is not null).ToList();
        Assert.Equal(["POST /api/products/{id}/reviews", "PUT /api/products/{id}/price"], endpoints.Select(o => o.ToString()).Order());

        foreach (var endpoint in endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.PathTemplate.Replace("{id}", $"{id}"))
            {
                Content = HttpChecks.Json("""{"rating":5,"text":"好","price":1}""", charset),
            };
            using var response = await http.SendAsync(request);
            await HttpChecks.AssertOnlyUtf8JsonAsync(response);
        }

        Assert.Equal(before, (await CountReviewsAsync(id), (await http.ProductAsync(id)).Price));
    }

    [Theory]
    [MemberData(nameof(HttpChecks.WaysToWriteUtf8), MemberType = typeof(HttpChecks))]
    public async Task UTF_8_JSON_is_taken_whatever_way_the_charset_is_written(string? charset)
    {
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var id = await http.IdOfAsync("TT 超大鼠标垫 900×400");

        using var response = await http.PostAsync($"/api/products/{id}/reviews", HttpChecks.Json("""{"rating":5,"text":"好"}""", charset));

        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task HEAD_answers_as_GET_on_every_GET_endpoint()
    {
        var token = TestTokens.For(TestTokens.NewUser());
        using var http = products.Client(token);
        var id = await http.IdOfAsync("Cherry MX 机械键盘");
        var paths = (await ApiOperations.ReadAsync(http))
            .Where(o => o.Method == "GET")
            .Select(o => o.PathTemplate.Replace("{id}", $"{id}").Replace("{view}", "2"))
            .Concat([
                "/api/products?q=%E9%94%AE%E7%9B%98&sort=price_asc", "/api/products?page=0", "/api/products?q=%00", "/api/products/999999",
                $"/api/products/{id}/reviews?pageSize=2", "/api/products/999999/image.svg", "/health", "/alive", "/openapi/v1.json",
            ])
            .ToList();
        Assert.Equal(7 + 9, paths.Count);

        var statuses = new List<int>();
        foreach (var path in paths)
        {
            statuses.Add(await HttpChecks.AssertHeadAnswersAsGetAsync(products.Service.BaseAddress, path, token));
        }

        Assert.Equal([200, 400, 404], statuses.Distinct().Order());
    }

    [Fact]
    public async Task A_review_body_over_16_KB_is_413_and_writes_nothing()
    {
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var id = await http.IdOfAsync("TT 超大鼠标垫 900×400");
        var before = await CountReviewsAsync(id);
        var json = $$"""{"rating":5,"text":"好","padding":"{{new string('x', 17 * 1024)}}"}""";

        // Declared up front, and sent chunked, so its length is known only while it is read.
        using var declared = await http.PostAsync($"/api/products/{id}/reviews", HttpChecks.Json(json));
        using var chunked = await http.PostAsync($"/api/products/{id}/reviews", HttpChecks.Chunked(json));

        await ProblemAssert.StatusAsync(declared, HttpStatusCode.RequestEntityTooLarge);
        await ProblemAssert.StatusAsync(chunked, HttpStatusCode.RequestEntityTooLarge);
        Assert.True(declared.Headers.ConnectionClose, "a connection with an unread body is not kept");
        Assert.True(chunked.Headers.ConnectionClose, "a connection with an unread body is not kept");
        Assert.Equal(before, await CountReviewsAsync(id));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/products/categories")).StatusCode);
    }

    [Fact]
    public async Task The_longest_review_a_client_may_send_is_over_the_default_bound_and_within_the_reviews_own()
    {
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var id = await http.IdOfAsync("TT 超大鼠标垫 900×400");
        // What .NET's JsonContent writes: every Chinese character \u-escaped, six bytes.
        var body = await JsonContent.Create(new { rating = 5, text = new string('好', 2000) }).ReadAsByteArrayAsync();
        Assert.InRange(body.Length, RequestBodies.DefaultMaxBytes + 1, 16 * 1024);

        using var response = await http.PostAsync($"/api/products/{id}/reviews", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_default_bound_is_413_even_where_no_body_is_read()
    {
        using var http = products.Client();
        var body = new string('x', (int)RequestBodies.DefaultMaxBytes + 1);

        using var declared = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/products") { Content = HttpChecks.Json(body) });
        using var chunked = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/products") { Content = HttpChecks.Chunked(body) });

        await ProblemAssert.StatusAsync(declared, HttpStatusCode.RequestEntityTooLarge);
        Assert.True(declared.Headers.ConnectionClose);
        // A chunked body the endpoint does not read is not refused (its length is not known before it is read), but the
        // connection is not kept for a next request that would find it closed.
        Assert.Equal(HttpStatusCode.OK, chunked.StatusCode);
        Assert.True(chunked.Headers.ConnectionClose);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/products/categories")).StatusCode);
    }

    private async Task<int> CountReviewsAsync(int productId)
    {
        await using var db = products.Database();
        return await db.Reviews.CountAsync(r => r.ProductId == productId);
    }
}
