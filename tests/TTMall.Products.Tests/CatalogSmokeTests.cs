using System.Net;
using System.Net.Http.Json;

namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public class CatalogSmokeTests(ProductsFixture products)
{
    [Fact]
    public async Task The_seeded_catalog_is_served_from_productsdb()
    {
        using var http = products.Client();

        var page = await http.GetFromJsonAsync<ProductPage>("/api/products?q=Cherry");

        Assert.NotNull(page);
        Assert.Contains(page.Items, p => p.Name == "Cherry MX 机械键盘");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/products?page=0")).StatusCode);
    }
}
