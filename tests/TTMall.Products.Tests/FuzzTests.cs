using System.Net;
using TTMall.Products.Data;
using TTMall.ServiceDefaults.Validation;
using Xunit.Abstractions;

namespace TTMall.Products.Tests;

/// <summary>A few hundred generated bad requests to every endpoint of the OpenAPI document: none is a 5xx, and the service stays up.</summary>
[Collection(ProductsCollection.Name)]
public sealed class FuzzTests(ProductsFixture products, ITestOutputHelper output)
{
    [Fact]
    public async Task Generated_bad_requests_get_no_5xx_and_the_service_keeps_serving()
    {
        // A database of its own: a request that happens to be good writes a review, which other tests would see.
        await using var service = new MallServiceHost<ProductsDbContext>(await products.NewDatabaseAsync());

        await ServiceFuzzing.AssertNoServerErrorsAsync(
            "products", service.BaseAddress, () => TestTokens.For(TestTokens.NewUser("fuzz")), RequestBodies.DefaultMaxBytes, output);

        using var http = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/products?q=键盘")).StatusCode);
    }
}
