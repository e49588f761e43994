using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public class ReviewTests(ProductsFixture products)
{
    [Fact]
    public async Task A_review_updates_the_products_average_and_count_at_once()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 无线鼠标");
        var before = await anonymous.ProductAsync(id);

        using var first = products.Client(TestTokens.For(TestTokens.NewUser("小张")));
        using var second = products.Client(TestTokens.For(TestTokens.NewUser("Anna")));
        using var created = await first.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 5, text = "  很好用 Works well  " });
        using var alsoCreated = await second.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 2, text = "一般 Meh" });
        var after = await anonymous.ProductAsync(id);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, alsoCreated.StatusCode);
        var review = (await created.Content.ReadFromJsonAsync<ReviewDto>())!;
        Assert.Equal((id, 5, "很好用 Works well", "小张"), (review.ProductId, review.Rating, review.Text, review.AuthorName));
        Assert.Equal(before.ReviewCount + 2, after.ReviewCount);
        await AssertRatingMatchesReviewsAsync(anonymous, id);
    }

    [Fact]
    public async Task Reviews_are_listed_newest_first_and_paged()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("罗技 G502 HERO 游戏鼠标");
        foreach (var text in new[] { "第一 first", "第二 second", "第三 third" })
        {
            using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
            (await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 4, text })).EnsureSuccessStatusCode();
        }

        var top = (await anonymous.GetFromJsonAsync<ReviewPage>($"/api/products/{id}/reviews?pageSize=2"))!;
        var next = (await anonymous.GetFromJsonAsync<ReviewPage>($"/api/products/{id}/reviews?pageSize=2&page=2"))!;
        var all = (await anonymous.GetFromJsonAsync<ReviewPage>($"/api/products/{id}/reviews?pageSize=100"))!;

        Assert.Equal(["第三 third", "第二 second"], top.Items.Select(r => r.Text));
        Assert.Equal("第一 first", next.Items[0].Text);
        Assert.Equal(all.Total, top.Total);
        Assert.Equal(all.Total, all.Items.Count);
        Assert.Equal((await anonymous.ProductAsync(id)).ReviewCount, all.Total);
        Assert.True(all.Items.Zip(all.Items.Skip(1)).All(pair => pair.First.CreatedAt >= pair.Second.CreatedAt));
    }

    [Fact]
    public async Task A_second_review_by_the_same_user_is_409_and_changes_nothing()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("小米静音无线鼠标");
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        (await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 4, text = "不错" })).EnsureSuccessStatusCode();
        var before = await anonymous.ProductAsync(id);

        using var again = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 1, text = "改主意了" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var after = await anonymous.ProductAsync(id);
        Assert.Equal((before.ReviewCount, before.RatingAverage), (after.ReviewCount, after.RatingAverage));
    }

    [Fact]
    public async Task The_same_user_posting_twice_at_once_gets_one_review()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 人体工学垂直鼠标");
        var token = TestTokens.For(TestTokens.NewUser());
        var before = await anonymous.ProductAsync(id);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var http = products.Client(token);
            using var response = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 3, text = $"try {i}" });
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(before.ReviewCount + 1, (await anonymous.ProductAsync(id)).ReviewCount);
        await AssertRatingMatchesReviewsAsync(anonymous, id);
    }

    [Fact]
    public async Task Many_users_reviewing_at_once_are_all_counted()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("雷蛇炼狱蝰蛇 V3 游戏鼠标");
        var before = await anonymous.ProductAsync(id);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var http = products.Client(TestTokens.For(TestTokens.NewUser($"user{i}")));
            using var response = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = i % 5 + 1, text = $"评价 {i}" });
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(before.ReviewCount + 12, (await anonymous.ProductAsync(id)).ReviewCount);
        await AssertRatingMatchesReviewsAsync(anonymous, id);
    }

    [Theory]
    [InlineData("""{"rating":0,"text":"好"}""", "rating")]
    [InlineData("""{"rating":6,"text":"好"}""", "rating")]
    [InlineData("""{"rating":-3,"text":"好"}""", "rating")]
    [InlineData("""{"text":"没有评分"}""", "rating")]
    [InlineData("""{"rating":null,"text":"好"}""", "rating")]
    [InlineData("""{"rating":"five","text":"好"}""", "rating")]
    [InlineData("""{"rating":4.5,"text":"好"}""", "rating")]
    [InlineData("""{"rating":5}""", "text")]
    [InlineData("""{"rating":5,"text":""}""", "text")]
    [InlineData("""{"rating":5,"text":"   "}""", "text")]
    [InlineData("""{"rating":5,"text":42}""", "text")]
    [InlineData("""{"rating":5,"text":"好""", "text")]
    [InlineData("not json", "body")]
    [InlineData("", "rating")]
    public async Task Bad_reviews_are_400_naming_the_field_and_write_nothing(string body, string field)
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 超大鼠标垫 900×400");
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var before = await CountReviewsAsync(id);

        using var response = await http.PostAsync($"/api/products/{id}/reviews", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.FieldErrorAmongAsync(response, field);
        Assert.Equal(before, await CountReviewsAsync(id));
    }

    [Theory]
    [InlineData("""{"rating":5,"text":"\u0000"}""")]
    [InlineData("""{"rating":5,"text":"好\u0000用"}""")]
    [InlineData("""{"rating":5,"text":"响\u0007铃"}""")]
    [InlineData("""{"rating":5,"text":"\u001b[31m红字"}""")]
    [InlineData("""{"rating":5,"text":"删\u007f除"}""")]
    [InlineData("""{"rating":5,"text":"a\u0085b"}""")]
    [InlineData("""{"rating":5,"text":"half \ud83d a pair"}""")]
    [InlineData("""{"rating":5,"text":"\udc00"}""")]
    public async Task Control_characters_and_lone_surrogates_in_the_text_are_400_naming_it_and_write_nothing(string body)
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 超大鼠标垫 900×400");
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var before = await CountReviewsAsync(id);

        using var response = await http.PostAsync($"/api/products/{id}/reviews", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.FieldErrorAmongAsync(response, "text");
        Assert.Equal(before, await CountReviewsAsync(id));
    }

    [Fact]
    public async Task Line_breaks_and_tabs_inside_the_text_are_kept()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 超大鼠标垫 900×400");
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        const string text = "第一行\n第二行\r\n\t缩进的第三行";

        using var created = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 4, text = $"\n {text}\t\n" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(text, (await created.Content.ReadFromJsonAsync<ReviewDto>())!.Text);
    }

    [Theory]
    [InlineData("全家都喜欢 \U0001F468\u200D\U0001F469\u200D\U0001F467")]
    [InlineData("程序员 \U0001F469\U0001F3FD\u200D\U0001F4BB 必备")]
    [InlineData("\U0001F3F3\uFE0F\u200D\U0001F308 好")]
    public async Task Emoji_joined_into_one_picture_are_kept(string text)
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 超大鼠标垫 900×400");
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));

        using var created = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 5, text });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(text, (await created.Content.ReadFromJsonAsync<ReviewDto>())!.Text);
    }

    [Theory]
    [InlineData("好\u200D用")]
    [InlineData("\u200D\U0001F308")]
    [InlineData("\U0001F308\u200D")]
    [InlineData("\U0001F308\u200Da")]
    public async Task A_joiner_anywhere_but_between_two_emoji_is_400(string text)
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("TT 超大鼠标垫 900×400");
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var before = await CountReviewsAsync(id);

        using var response = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 5, text });

        await ProblemAssert.FieldErrorAmongAsync(response, "text");
        Assert.Equal(before, await CountReviewsAsync(id));
    }

    [Fact]
    public async Task Text_longer_than_2000_characters_is_400_and_2000_is_fine()
    {
        using var anonymous = products.Client();
        var id = await anonymous.IdOfAsync("罗技 MX Master 3S 无线鼠标");
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));
        var before = await CountReviewsAsync(id);

        using var tooLong = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 5, text = new string('好', 2001) });
        await ProblemAssert.FieldErrorAmongAsync(tooLong, "text");
        Assert.Equal(before, await CountReviewsAsync(id));

        using var longest = await http.PostAsJsonAsync($"/api/products/{id}/reviews", new { rating = 5, text = new string('好', 2000) });
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        Assert.Equal(before + 1, await CountReviewsAsync(id));
    }

    [Theory]
    [InlineData("/api/products/999999/reviews")]
    [InlineData("/api/products/abc/reviews")]
    public async Task Reviewing_or_listing_an_unknown_product_is_404(string path)
    {
        using var http = products.Client(TestTokens.For(TestTokens.NewUser()));

        using var post = await http.PostAsJsonAsync(path, new { rating = 5, text = "好" });
        using var list = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=1%00", "page")]
    [InlineData("page=1001", "page")]
    [InlineData("page=101&pageSize=100", "page")]
    [InlineData("pageSize=%00", "pageSize")]
    public async Task Bad_review_paging_is_400(string query, string field)
    {
        using var http = products.Client();
        var id = await http.IdOfAsync("Cherry MX 机械键盘");

        await ProblemAssert.FieldErrorAmongAsync(await http.GetAsync($"/api/products/{id}/reviews?{query}"), field);
    }

    private async Task<int> CountReviewsAsync(int productId)
    {
        await using var db = products.Database();
        return await db.Reviews.CountAsync(r => r.ProductId == productId);
    }

    /// <summary>The product's count and average are those of its reviews, in the database and in the API.</summary>
    private async Task AssertRatingMatchesReviewsAsync(HttpClient http, int id)
    {
        await using var db = products.Database();
        var ratings = await db.Reviews.Where(r => r.ProductId == id).Select(r => (int)r.Rating).ToListAsync();
        var stored = await db.Products.SingleAsync(p => p.Id == id);
        var served = await http.ProductAsync(id);
        var average = Math.Round((decimal)ratings.Sum() / ratings.Count, 2);

        Assert.Equal((ratings.Count, ratings.Sum(), average), (stored.ReviewCount, stored.RatingTotal, stored.RatingAverage));
        Assert.Equal((ratings.Count, average), (served.ReviewCount, served.RatingAverage));
    }
}
