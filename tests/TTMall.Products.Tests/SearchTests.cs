namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public class SearchTests(ProductsFixture products)
{
    [Theory]
    [InlineData("键盘")]
    [InlineData("机械")]
    [InlineData("keyboard")]
    [InlineData("Galaxy")]
    [InlineData("ThinkPad")]
    public async Task Products_named_after_the_words_come_before_those_that_only_mention_them(string q)
    {
        using var http = products.Client();

        var result = await http.FindAsync(q);

        var inName = result.Items.Select(p => p.Name.Contains(q, StringComparison.OrdinalIgnoreCase)).ToList();
        // Both kinds exist in the seed for these words, so the order is really tested.
        Assert.Contains(true, inName);
        Assert.Contains(result.Items, p => !p.Name.Contains(q, StringComparison.OrdinalIgnoreCase) && p.Description.Contains(q, StringComparison.OrdinalIgnoreCase));
        Assert.True(inName.IndexOf(false) > inName.LastIndexOf(true),
            $"a description-only match ranks above a name match for '{q}': {string.Join(" | ", result.Items.Select(p => p.Name))}");
        Assert.Equal(result.Total, result.Items.Count);
    }

    [Fact]
    public async Task A_Chinese_query_finds_the_category_it_names_and_the_story_keyboard()
    {
        using var http = products.Client();

        var result = await http.FindAsync("键盘");

        Assert.Contains(result.Items, p => p.Name == "Cherry MX 机械键盘");
        Assert.All(result.Items.Take(5), p => Assert.Equal("键盘", p.CategoryName));
        Assert.All(result.Items, p => Assert.True(p.Mentions("键盘"), p.Name));
    }

    [Fact]
    public async Task Mechanical_finds_both_mechanical_keyboards_and_hard_disks()
    {
        using var http = products.Client();

        var result = await http.FindAsync("机械");

        Assert.Contains(result.Items, p => p.Name == "Cherry MX 机械键盘");
        Assert.Contains(result.Items, p => p.CategoryName == "存储" && p.Name.Contains("机械硬盘"));
        Assert.All(result.Items, p => Assert.True(p.Mentions("机械"), p.Name));
    }

    [Fact]
    public async Task One_Chinese_character_is_enough()
    {
        using var http = products.Client();

        var result = await http.FindAsync("键");

        Assert.True(result.Total >= 8, $"only {result.Total} products for 键");
        Assert.All(result.Items, p => Assert.True(p.Mentions("键"), p.Name));
        Assert.Contains("键", result.Items[0].Name);
    }

    [Fact]
    public async Task English_finds_English_words_in_bilingual_products()
    {
        using var http = products.Client();

        var result = await http.FindAsync("keyboard");

        Assert.Contains(result.Items, p => p.Name == "Cherry MX 机械键盘");
        Assert.Contains("Keyboard", result.Items[0].Name);
        Assert.DoesNotContain(result.Items, p => p.CategoryName == "手机");
    }

    [Theory]
    [InlineData("keybord", "Keyboard")]
    [InlineData("cherri", "Cherry")]
    [InlineData("KEYBOARD", "Keyboard")]
    public async Task Misspellings_and_case_are_forgiven(string q, string expectedInFirstName)
    {
        using var http = products.Client();

        var result = await http.FindAsync(q);

        Assert.NotEmpty(result.Items);
        Assert.Contains(expectedInFirstName, result.Items[0].Name);
        Assert.All(result.Items, p => Assert.DoesNotContain(p.CategoryName, new[] { "手机", "存储", "智能家居" }));
    }

    [Fact]
    public async Task Every_word_must_match()
    {
        using var http = products.Client();

        var both = await http.FindAsync("无线 键盘");
        var wireless = await http.FindAsync("无线");

        Assert.NotEmpty(both.Items);
        Assert.All(both.Items, p => Assert.True(p.Mentions("无线") && p.Mentions("键盘"), p.Name));
        Assert.True(both.Total < wireless.Total);
    }

    [Fact]
    public async Task Nothing_matches_gibberish_and_like_wildcards_are_literal()
    {
        using var http = products.Client();

        var gibberish = await http.FindAsync("zqxjvw");
        var percent = await http.FindAsync("%");
        var underscore = await http.FindAsync("_");
        var backslash = await http.FindAsync("\\");

        Assert.Equal(0, gibberish.Total);
        Assert.Empty(gibberish.Items);
        Assert.NotEmpty(percent.Items);
        Assert.All(percent.Items, p => Assert.True(p.Mentions("%"), p.Name));
        Assert.True(percent.Total < (await http.AllAsync()).Count);
        Assert.Equal(0, underscore.Total);
        Assert.Equal(0, backslash.Total);
    }

    [Fact]
    public async Task Filters_by_category_brand_and_price_with_matching_totals()
    {
        using var http = products.Client();
        var all = await http.AllAsync();
        var keyboards = all.First(p => p.Name == "Cherry MX 机械键盘");

        var byCategory = await http.SearchAsync($"categoryId={keyboards.CategoryId}&pageSize=100");
        var byBrand = await http.SearchAsync($"brandId={keyboards.BrandId}&pageSize=100");
        var byPrice = await http.SearchAsync("minPrice=100&maxPrice=499.00&pageSize=100");
        var combined = await http.SearchAsync($"q=%E6%9C%BA%E6%A2%B0&categoryId={keyboards.CategoryId}&maxPrice=500&pageSize=100");

        Assert.Equal(all.Count(p => p.CategoryId == keyboards.CategoryId), byCategory.Total);
        Assert.All(byCategory.Items, p => Assert.Equal(keyboards.CategoryId, p.CategoryId));
        Assert.Equal(all.Count(p => p.BrandId == keyboards.BrandId), byBrand.Total);
        Assert.All(byBrand.Items, p => Assert.Equal(keyboards.BrandId, p.BrandId));
        Assert.Equal(all.Count(p => p.Price is >= 100m and <= 499m), byPrice.Total);
        Assert.All(byPrice.Items, p => Assert.InRange(p.Price, 100m, 499m));
        Assert.Contains(byPrice.Items, p => p.Price == 499m);
        Assert.NotEmpty(combined.Items);
        Assert.All(combined.Items, p => Assert.True(p.CategoryId == keyboards.CategoryId && p.Price <= 500m && p.Mentions("机械"), p.Name));
        Assert.Equal(0, (await http.SearchAsync("categoryId=999999")).Total);
    }

    [Fact]
    public async Task Pages_cover_the_result_once_with_the_same_total()
    {
        using var http = products.Client();
        var all = await http.AllAsync();
        Assert.True(all.Count >= 60, $"the seed has {all.Count} products");

        var seen = new List<int>();
        ProductPage page;
        var number = 1;
        do
        {
            page = await http.SearchAsync($"pageSize=7&page={number++}&sort=price_asc");
            Assert.Equal(all.Count, page.Total);
            Assert.Equal(7, page.PageSize);
            seen.AddRange(page.Items.Select(p => p.Id));
        }
        while (page.Items.Count == 7);

        Assert.Equal(all.Count, seen.Count);
        Assert.Equal(all.Select(p => p.Id).Order(), seen.Order());
        var beyond = await http.SearchAsync("pageSize=7&page=1000");
        Assert.Empty(beyond.Items);
        Assert.Equal(all.Count, beyond.Total);
        // The deepest page there is: page × pageSize = 10,000; one further is a 400 (BadInputTests).
        Assert.Empty((await http.SearchAsync("pageSize=100&page=100")).Items);
    }

    [Fact]
    public async Task Sorts_by_price_rating_newest_and_popularity()
    {
        using var http = products.Client();

        var cheapFirst = (await http.SearchAsync("sort=price_asc&pageSize=100")).Items;
        var dearFirst = (await http.SearchAsync("sort=PRICE_DESC&pageSize=100")).Items;
        var bestRated = (await http.SearchAsync("sort=rating&pageSize=100")).Items;
        var newest = (await http.SearchAsync("sort=newest&pageSize=100")).Items;
        var popular = (await http.SearchAsync("pageSize=100")).Items;
        var keyboardsByPrice = (await http.FindAsync("键盘", "&sort=price_asc")).Items;

        AssertOrdered(cheapFirst, p => p.Price, ascending: true);
        AssertOrdered(dearFirst, p => p.Price, ascending: false);
        Assert.NotEqual(cheapFirst[0].Price, dearFirst[0].Price);
        AssertOrdered(bestRated, p => p.RatingAverage, ascending: false);
        AssertOrdered(newest, p => p.CreatedAt, ascending: false);
        AssertOrdered(popular, p => p.ReviewCount, ascending: false);
        AssertOrdered(keyboardsByPrice, p => p.Price, ascending: true);
        Assert.All(keyboardsByPrice, p => Assert.True(p.Mentions("键盘"), p.Name));
    }

    private static void AssertOrdered<T>(IReadOnlyList<ProductSummary> items, Func<ProductSummary, T> key, bool ascending) where T : IComparable<T>
    {
        Assert.True(items.Count > 1);
        Assert.NotEqual(key(items[0]), key(items[^1]));
        for (var i = 1; i < items.Count; i++)
        {
            var order = key(items[i - 1]).CompareTo(key(items[i]));
            Assert.True(ascending ? order <= 0 : order >= 0, $"{items[i - 1].Name} ({key(items[i - 1])}) before {items[i].Name} ({key(items[i])})");
        }
    }
}
