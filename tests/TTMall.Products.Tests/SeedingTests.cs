using System.Net;
using Microsoft.EntityFrameworkCore;
using TTMall.Products.Data;

namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public class SeedingTests(ProductsFixture products)
{
    [Fact]
    public async Task Starting_again_on_the_same_database_adds_nothing()
    {
        var settings = await products.NewDatabaseAsync();
        await using (var first = new MallServiceHost<ProductsDbContext>(settings))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().GetAsync("/health")).StatusCode);
        }

        var afterFirst = await CountsAsync(settings);
        await using (var second = new MallServiceHost<ProductsDbContext>(settings))
        {
            Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().GetAsync("/health")).StatusCode);
        }

        Assert.True(afterFirst.Products >= 60 && afterFirst.Categories >= 6 && afterFirst.Reviews > 0, $"{afterFirst}");
        Assert.Equal(afterFirst, await CountsAsync(settings));
    }

    [Fact]
    public async Task Two_replicas_starting_together_on_a_new_database_both_serve_one_catalog()
    {
        var settings = await products.NewDatabaseAsync();

        var hosts = await Task.WhenAll(
            Task.Run(() => new MallServiceHost<ProductsDbContext>(settings)),
            Task.Run(() => new MallServiceHost<ProductsDbContext>(settings)));
        try
        {
            var totals = await Task.WhenAll(hosts.Select(async host =>
            {
                using var http = host.CreateClient();
                return (await http.SearchAsync("pageSize=1")).Total;
            }));

            var counts = await CountsAsync(settings);
            Assert.Equal(counts.Products, totals[0]);
            Assert.Equal(counts.Products, totals[1]);
            Assert.True(counts.Products >= 60);
            await using var db = Database(settings);
            Assert.Equal(counts.Products, await db.Products.Select(p => p.Sku).Distinct().CountAsync());
            Assert.Equal(await db.Products.SumAsync(p => p.ReviewCount), counts.Reviews);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private sealed record Counts(int Products, int Categories, int Brands, int Reviews);

    private static async Task<Counts> CountsAsync(IReadOnlyDictionary<string, string?> settings)
    {
        await using var db = Database(settings);
        return new Counts(await db.Products.CountAsync(), await db.Categories.CountAsync(), await db.Brands.CountAsync(), await db.Reviews.CountAsync());
    }

    private static ProductsDbContext Database(IReadOnlyDictionary<string, string?> settings) =>
        new(new DbContextOptionsBuilder<ProductsDbContext>().UseNpgsql(settings[$"ConnectionStrings:{ProductsDbContext.ConnectionName}"]).Options);
}
