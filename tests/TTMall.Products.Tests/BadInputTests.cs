namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public class BadInputTests(ProductsFixture products)
{
    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=100001", "page")]
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

        await TestApi.AssertValidationProblemAsync(await http.GetAsync($"/api/products?{query}"), field);
    }

    [Fact]
    public async Task A_query_longer_than_100_characters_is_400()
    {
        using var http = products.Client();

        await TestApi.AssertValidationProblemAsync(await http.GetAsync($"/api/products?q={new string('键', 101)}"), "q");
        Assert.Equal(0, (await http.SearchAsync($"q={new string('键', 100)}")).Total);
    }

    [Fact]
    public async Task Every_bad_parameter_is_reported_at_once()
    {
        using var http = products.Client();

        using var response = await http.GetAsync("/api/products?page=0&pageSize=500&sort=x&minPrice=9&maxPrice=1");

        foreach (var field in new[] { "page", "pageSize", "sort", "minPrice" })
        {
            await TestApi.AssertValidationProblemAsync(response, field);
        }
    }
}
