using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TTMall.Data.Idempotency;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Products.Tests;

/// <summary>
/// A review sent with an Idempotency-Key is written once however often it arrives: the gateway sends such a request
/// again to another replica when the first one died before answering, possibly after it had committed.
/// </summary>
[Collection(ProductsCollection.Name)]
public class IdempotencyKeyTests(ProductsFixture products)
{
    [Fact]
    public async Task A_repeated_key_is_answered_with_the_first_review_and_writes_nothing_more()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("罗技 MX Keys 无线键盘");
        var before = await anonymous.ProductAsync(id);
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(http, id, key, new { rating = 4, text = "好用 Nice" });
        var again = await PostAsync(http, id, key, new { rating = 4, text = "好用 Nice" });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.Status, again.Status));
        Assert.Equal(first.Review, again.Review);
        Assert.Equal(before.ReviewCount + 1, (await anonymous.ProductAsync(id)).ReviewCount);
    }

    [Fact]
    public async Task The_same_key_sent_five_times_at_once_writes_one_review_and_answers_each_with_it()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("雷蛇巴塞利斯蛇 V3 Pro 无线鼠标");
        var before = await anonymous.ProductAsync(id);
        var token = TestTokens.For(TestTokens.NewUser());
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var http = products.Client(token);
            return await PostAsync(http, id, key, new { rating = 5, text = "一次 Once" });
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.Single(answers.Select(a => a.Review!.Id).Distinct());
        Assert.Equal(before.ReviewCount + 1, (await anonymous.ProductAsync(id)).ReviewCount);
    }

    [Fact]
    public async Task The_same_key_with_another_review_is_422_and_changes_nothing()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 实木键盘手托");
        var otherId = await anonymous.IdOfAsync("罗技 MX Keys 无线键盘");
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(http, id, key, new { rating = 3, text = "还行" })).Status);
        var before = (await anonymous.ProductAsync(id), await anonymous.ProductAsync(otherId));

        using var otherText = await http.SendAsync(Post(id, key, new { rating = 3, text = "改了" }));
        using var otherProduct = await http.SendAsync(Post(otherId, key, new { rating = 3, text = "还行" }));

        await ProblemAssert.StatusAsync(otherText, HttpStatusCode.UnprocessableEntity);
        await ProblemAssert.StatusAsync(otherProduct, HttpStatusCode.UnprocessableEntity);
        var after = (await anonymous.ProductAsync(id), await anonymous.ProductAsync(otherId));
        Assert.Equal((before.Item1.ReviewCount, before.Item2.ReviewCount), (after.Item1.ReviewCount, after.Item2.ReviewCount));
    }

    [Fact]
    public async Task Keys_are_each_shoppers_own()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 实木键盘手托");
        var before = await anonymous.ProductAsync(id);
        var key = Guid.NewGuid().ToString();
        using var first = products.Client(TestTokens.For(TestTokens.NewUser("甲")));
        using var second = products.Client(TestTokens.For(TestTokens.NewUser("乙")));

        var mine = await PostAsync(first, id, key, new { rating = 5, text = "同一个键 Same key" });
        var theirs = await PostAsync(second, id, key, new { rating = 5, text = "同一个键 Same key" });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (mine.Status, theirs.Status));
        Assert.NotEqual(mine.Review!.Id, theirs.Review!.Id);
        Assert.Equal(("甲", "乙"), (mine.Review.AuthorName, theirs.Review.AuthorName));
        Assert.Equal(before.ReviewCount + 2, (await anonymous.ProductAsync(id)).ReviewCount);
    }

    [Fact]
    public async Task A_refused_review_does_not_use_up_its_key()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("罗技 MX Keys 无线键盘");
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var key = Guid.NewGuid().ToString();

        using var unknownProduct = await http.SendAsync(Post(987654, key, new { rating = 4, text = "没有这个 None" }));
        var written = await PostAsync(http, id, key, new { rating = 4, text = "没有这个 None" });

        Assert.Equal(HttpStatusCode.NotFound, unknownProduct.StatusCode);
        // The same key, now for this product: a new request, since the first wrote nothing.
        Assert.Equal(HttpStatusCode.Created, written.Status);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("a\tb")]
    [InlineData("a b")]
    [InlineData(LongKey)]
    public async Task A_malformed_key_is_400_naming_the_header_and_writes_nothing(string key)
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 实木键盘手托");
        var before = await anonymous.ProductAsync(id);
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/products/{id}/reviews")
        {
            Content = JsonContent.Create(new { rating = 4, text = "键不对 Bad key" }),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await http.SendAsync(request);

        await ProblemAssert.FieldErrorsAsync(response, "Idempotency-Key");
        Assert.Equal(before.ReviewCount, (await anonymous.ProductAsync(id)).ReviewCount);
    }

    [Fact]
    public async Task Keys_older_than_a_day_are_forgotten()
    {
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var id = await products.Client().IdOfAsync("TT 实木键盘手托");
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(http, id, key, new { rating = 2, text = "旧 Old" })).Status);
        await using var db = products.Database();
        var stored = await db.Set<StoredIdempotencyKey>().Where(k => k.Key == key).ToListAsync();
        await db.Set<StoredIdempotencyKey>().Where(k => k.Key == key)
            .ExecuteUpdateAsync(k => k.SetProperty(s => s.CreatedAt, s => s.CreatedAt - IdempotencyKeys.Retention - TimeSpan.FromMinutes(1)));

        var purge = products.Service.Services.GetServices<IHostedService>()
            .OfType<IdempotencyKeyPurge<Data.ProductsDbContext>>().Single();
        var forgotten = await purge.PurgeAsync(CancellationToken.None);

        Assert.Single(stored);
        Assert.True(forgotten >= 1);
        Assert.False(await db.Set<StoredIdempotencyKey>().AnyAsync(k => k.Key == key));
    }

    private const string LongKey =
        "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
        + "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

    private static HttpRequestMessage Post(int productId, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/products/{productId}/reviews") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<(HttpStatusCode Status, ReviewDto? Review)> PostAsync(HttpClient http, int productId, string key, object body)
    {
        using var response = await http.SendAsync(Post(productId, key, body));
        return (response.StatusCode, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ReviewDto>() : null);
    }
}
