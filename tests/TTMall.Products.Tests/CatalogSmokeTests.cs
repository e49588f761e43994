using System.Net;
using System.Net.Http.Json;
using TTMall.Products.Data;

namespace TTMall.Products.Tests;

public class CatalogSmokeTests(MallInfrastructureFixture infrastructure) : IClassFixture<MallInfrastructureFixture>
{
    [Fact]
    public async Task The_seeded_catalog_is_served_from_productsdb()
    {
        await using var products = new MallServiceHost<ProductsDbContext>(infrastructure.ConnectionStrings);
        using var http = products.CreateClient();

        var page = await http.GetFromJsonAsync<ProductPage>("/api/products");

        Assert.NotNull(page);
        Assert.Contains(page.Items, p => p.Name == "Cherry MX 机械键盘");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/products?page=0")).StatusCode);
    }
}
