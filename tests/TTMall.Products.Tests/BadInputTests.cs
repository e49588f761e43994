namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public class BadInputTests(ProductsFixture products)
{
    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=100001", "page")]
    [InlineData("page=501", "page")]
    [InlineData("page=101&pageSize=100", "page")]
    [InlineData("page=10001&pageSize=1", "page")]
    [InlineData("page=500000&pageSize=20", "page")]
    [InlineData("page=99999999999999999999", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=1e3", "pageSize")]
    [InlineData("minPrice=-1", "minPrice")]
    [InlineData("minPrice=abc", "minPrice")]
    [InlineData("minPrice=1.001", "minPrice")]
    [InlineData("maxPrice=NaN", "maxPrice")]
    [InlineData("maxPrice=10000000000", "maxPrice")]
    [InlineData("minPrice=500&maxPrice=100", "minPrice")]
    [InlineData("sort=cheapest", "sort")]
    [InlineData("sort=price&page=0", "sort")]
    [InlineData("categoryId=0", "categoryId")]
    [InlineData("categoryId=keyboards", "categoryId")]
    [InlineData("brandId=-5", "brandId")]
    public async Task Bad_query_parameters_are_400_naming_the_field(string query, string field)
    {
        using var http = products.Client();

        await ProblemAssert.FieldErrorAmongAsync(await http.GetAsync($"/api/products?{query}"), field);
    }

    [Theory]
    [InlineData("q=%00", "q")]
    [InlineData("q=%E9%94%AE%E7%9B%98%00", "q")]
    [InlineData("q=a%01b", "q")]
    [InlineData("q=a%1Bb", "q")]
    [InlineData("q=a%7Fb", "q")]
    [InlineData("q=a%C2%85b", "q")]
    [InlineData("q=a%E2%80%8Bb", "q")]
    [InlineData("q=%E2%80%AEa", "q")]
    [InlineData("q=a%CD%B8", "q")]
    [InlineData("q=a%0Ab", "q")]
    [InlineData("q=a%09b", "q")]
    [InlineData("sort=relevance%00", "sort")]
    [InlineData("categoryId=1%00", "categoryId")]
    [InlineData("brandId=%00", "brandId")]
    [InlineData("minPrice=1%00", "minPrice")]
    [InlineData("maxPrice=%00", "maxPrice")]
    [InlineData("page=%00", "page")]
    [InlineData("pageSize=1%00", "pageSize")]
    public async Task Control_characters_in_a_query_parameter_are_400_naming_it(string query, string field)
    {
        using var http = products.Client();

        await ProblemAssert.FieldErrorAmongAsync(await http.GetAsync($"/api/products?{query}"), field);
    }

    [Fact]
    public async Task Spaces_around_a_query_are_trimmed_and_ideographic_spaces_separate_words()
    {
        using var http = products.Client();

        var page = await http.SearchAsync("q=%20%E9%94%AE%E7%9B%98%E3%80%80Cherry%20");

        Assert.NotEqual(0, page.Total);
        Assert.All(page.Items, p => Assert.True(p.Mentions("键盘") && p.Mentions("Cherry"), p.Name));
    }

    [Fact]
    public async Task A_query_longer_than_100_characters_is_400()
    {
        using var http = products.Client();

        await ProblemAssert.FieldErrorAmongAsync(await http.GetAsync($"/api/products?q={new string('键', 101)}"), "q");
        Assert.Equal(0, (await http.SearchAsync($"q={new string('键', 100)}")).Total);
    }

    [Fact]
    public async Task Every_bad_parameter_is_reported_at_once()
    {
        using var http = products.Client();

        using var response = await http.GetAsync("/api/products?page=0&pageSize=500&sort=x&minPrice=9&maxPrice=1");

        foreach (var field in new[] { "page", "pageSize", "sort", "minPrice" })
        {
            await ProblemAssert.FieldErrorAmongAsync(response, field);
        }
    }
}
