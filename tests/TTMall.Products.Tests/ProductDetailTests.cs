using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public class ProductDetailTests(ProductsFixture products)
{
    /// <summary>What the carts service reads: these names with these JSON types.</summary>
    [Fact]
    public async Task Detail_keeps_the_contract_the_carts_service_relies_on()
    {
        using var http = products.Client();
        var id = await http.IdOfAsync("Cherry MX 机械键盘");

        using var response = await http.GetAsync($"/api/products/{id}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var product = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, product.GetProperty("id").GetInt32());
        Assert.Equal("Cherry MX 机械键盘", product.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Number, product.GetProperty("price").ValueKind);
        Assert.Equal(499.00m, product.GetProperty("price").GetDecimal());
        Assert.True(product.GetProperty("stock").TryGetInt32(out var stock) && stock >= 0);
        Assert.StartsWith($"/api/products/{id}/image.svg", product.GetProperty("imageUrl").GetString());
    }

    [Fact]
    public async Task Detail_has_specs_pictures_brand_category_and_rating()
    {
        using var http = products.Client();
        var id = await http.IdOfAsync("Cherry MX 机械键盘");

        var product = await http.ProductAsync(id);

        Assert.Equal("键盘", product.CategoryName);
        Assert.Equal("Cherry", product.BrandName);
        Assert.Contains(product.Specs, s => s.Name.Contains("轴体") && s.Value.Contains("Cherry MX"));
        Assert.Equal(3, product.Images.Count);
        Assert.Equal(product.ImageUrl, product.Images[0]);
        Assert.Equal(3, product.Images.Distinct().Count());
        Assert.True(product.ReviewCount >= 4);
        Assert.InRange(product.RatingAverage, 1m, 5m);
        Assert.Contains("Cherry MX", product.Description);
    }

    [Theory]
    [InlineData("/api/products/999999")]
    [InlineData("/api/products/0")]
    [InlineData("/api/products/-1")]
    [InlineData("/api/products/abc")]
    [InlineData("/api/products/99999999999")]
    public async Task An_unknown_product_is_404(string path)
    {
        using var http = products.Client();

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Categories_and_brands_list_what_the_catalog_holds()
    {
        using var http = products.Client();
        var all = await http.AllAsync();

        var categories = (await http.GetFromJsonAsync<List<CategoryDto>>("/api/products/categories"))!;
        var brands = (await http.GetFromJsonAsync<List<BrandDto>>("/api/products/brands"))!;

        Assert.True(categories.Count >= 6, $"{categories.Count} categories");
        Assert.Contains(categories, c => c.Name == "键盘" && c.EnglishName == "Keyboards");
        Assert.Equal(all.Count, categories.Sum(c => c.ProductCount));
        Assert.All(categories, c => Assert.Equal(all.Count(p => p.CategoryId == c.Id), c.ProductCount));
        Assert.True(brands.Count >= 6, $"{brands.Count} brands");
        Assert.Equal(all.Count, brands.Sum(b => b.ProductCount));
        Assert.Contains(brands, b => b.Slug == "cherry" && b.ProductCount >= 2);
    }

    [Fact]
    public async Task The_seed_has_stock_specs_and_reviews_in_Chinese_and_English()
    {
        await using var db = products.Database();

        var seeded = db.Products.ToList();

        Assert.True(seeded.Count >= 60);
        Assert.All(seeded, p =>
        {
            Assert.NotEmpty(p.Specs);
            Assert.True(p.Stock > 0);
            Assert.Contains(p.Description, c => c >= 0x4E00 && c <= 0x9FFF);
            Assert.Contains(p.Description, char.IsAsciiLetter);
        });
        Assert.True(seeded.Count(p => p.ReviewCount > 0) >= seeded.Count / 2);
    }

    [Fact]
    public async Task OpenAPI_describes_every_endpoint_by_name()
    {
        using var http = products.Client();

        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));

        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => op.Value.GetProperty("operationId").GetString()))
            .ToHashSet();
        Assert.Superset(
            new HashSet<string?> { "SearchProducts", "GetProduct", "GetProductImage", "ListCategories", "ListBrands", "ListReviews", "CreateReview", "SetProductPrice" },
            operations);
    }
}
