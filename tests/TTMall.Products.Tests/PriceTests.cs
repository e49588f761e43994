using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using TTMall.Contracts;
using TTMall.Products.Data;
using TTMall.ServiceDefaults.Security;
using TTMall.Testing.Shop;

namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public sealed class PriceTests(ProductsFixture products)
{
    private static readonly string StaffToken = TestTokens.For(TestTokens.NewUser("店员") with { IsStaff = true });

    [Fact]
    public async Task Staff_change_a_price_it_is_served_at_once_and_announced_once_with_the_old_and_new_price()
    {
        var bus = await products.BusAsync();
        var id = await new TestCatalog(products.Service).AddAsync(100m);
        using var staff = products.Client(StaffToken);
        Assert.Equal(100m, (await staff.ProductAsync(id)).Price);

        using var response = await staff.PutAsJsonAsync($"/api/products/{id}/price", new { price = 123.45m });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answered = (await response.Content.ReadFromJsonAsync<ProductDto>())!;
        Assert.Equal((id, 123.45m), (answered.Id, answered.Price));
        Assert.Equal(123.45m, (await staff.ProductAsync(id)).Price);
        var changed = await bus.WaitForAsync<ProductPriceChanged>(e => e.ProductId == id, TimeSpan.FromSeconds(30));
        Assert.Equal((100m, 123.45m), (changed.OldPrice, changed.NewPrice));
        Assert.InRange(changed.ChangedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);

        // Another change, announced after the first: once it is seen, the first would have been seen twice if it had been.
        Assert.Equal(HttpStatusCode.OK, (await staff.PutAsJsonAsync($"/api/products/{id}/price", new { price = 99 })).StatusCode);
        await bus.WaitForAsync<ProductPriceChanged>(e => e.ProductId == id && e.NewPrice == 99m, TimeSpan.FromSeconds(30));
        Assert.Equal([(100m, 123.45m), (123.45m, 99m)], PriceChanges(bus, id));
    }

    [Fact]
    public async Task Setting_the_price_a_product_already_has_changes_and_announces_nothing()
    {
        var bus = await products.BusAsync();
        var id = await new TestCatalog(products.Service).AddAsync(50m);
        using var staff = products.Client(StaffToken);

        foreach (var _ in Enumerable.Range(0, 3))
        {
            using var same = await staff.PutAsJsonAsync($"/api/products/{id}/price", new { price = 50.00m });
            Assert.Equal(HttpStatusCode.OK, same.StatusCode);
            Assert.Equal(50m, (await same.Content.ReadFromJsonAsync<ProductDto>())!.Price);
        }

        Assert.Equal(HttpStatusCode.OK, (await staff.PutAsJsonAsync($"/api/products/{id}/price", new { price = 60 })).StatusCode);
        await bus.WaitForAsync<ProductPriceChanged>(e => e.ProductId == id, TimeSpan.FromSeconds(30));
        Assert.Equal([(50m, 60m)], PriceChanges(bus, id));
    }

    [Fact]
    public async Task Only_staff_may_change_a_price_with_a_valid_one_of_a_product_that_exists_and_refusals_change_nothing()
    {
        var bus = await products.BusAsync();
        var catalog = new TestCatalog(products.Service);
        var id = await catalog.AddAsync(10m);
        var path = $"/api/products/{id}/price";
        using var anonymous = products.Client();
        using var shopper = products.Client(TestTokens.For(TestTokens.NewUser("顾客")));
        using var staff = products.Client(StaffToken);

        await ProblemAssert.StatusAsync(await anonymous.PutAsJsonAsync(path, new { price = 1 }), HttpStatusCode.Unauthorized);
        await ProblemAssert.StatusAsync(await shopper.PutAsJsonAsync(path, new { price = 1 }), HttpStatusCode.Forbidden);
        foreach (var bad in new[] { "0", "-1", "0.001", "12.345", "1000000.01", "1e9", "null" })
        {
            await ProblemAssert.FieldErrorsAsync(await staff.SendJsonAsync(HttpMethod.Put, path, $$"""{"price":{{bad}}}"""), "price");
        }

        await ProblemAssert.FieldErrorsAsync(await staff.SendJsonAsync(HttpMethod.Put, path, "{}"), "price");
        await ProblemAssert.StatusAsync(await staff.SendJsonAsync(HttpMethod.Put, path, """{"price":"ten"}"""), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NotFound,
            (await staff.PutAsJsonAsync($"/api/products/{await catalog.UnknownIdAsync()}/price", new { price = 1 })).StatusCode);

        Assert.Equal(10m, (await anonymous.ProductAsync(id)).Price);
        Assert.Equal(HttpStatusCode.OK, (await staff.PutAsJsonAsync(path, new { price = 1_000_000 })).StatusCode);
        await bus.WaitForAsync<ProductPriceChanged>(e => e.ProductId == id, TimeSpan.FromSeconds(30));
        Assert.Equal([(10m, 1_000_000m)], PriceChanges(bus, id));
    }

    [Fact]
    public async Task Another_replica_forgets_its_copy_when_the_price_change_reaches_it()
    {
        var id = await new TestCatalog(products.Service).AddAsync(200m);
        // A copy that would keep the old price for ten minutes: only the event can make that replica forget it.
        await using var other = new MallServiceHost<ProductsDbContext>(new Dictionary<string, string?>(products.Infrastructure.ConnectionStrings)
        {
            [$"{ProductsOptions.Section}:{nameof(ProductsOptions.ProductDetailsLifetime)}"] = "00:10:00",
        });
        using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await other.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
        }

        using var throughOther = other.CreateClient();
        Assert.Equal(200m, (await throughOther.ProductAsync(id)).Price);

        using var staff = products.Client(StaffToken);
        Assert.Equal(HttpStatusCode.OK, (await staff.PutAsJsonAsync($"/api/products/{id}/price", new { price = 180 })).StatusCode);

        await Eventually.HoldsAsync(
            async () => (await throughOther.ProductAsync(id)).Price == 180m,
            TimeSpan.FromSeconds(30),
            "the other replica serves the new price");
    }

    private static List<(decimal Old, decimal New)> PriceChanges(TestBus bus, int id) =>
        [.. bus.Seen<ProductPriceChanged>(e => e.ProductId == id).Select(e => (e.OldPrice, e.NewPrice))];
}
