using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TTMall.Products;
using TTMall.Products.Data;
using TTMall.Testing.Infrastructure;

namespace TTMall.Testing.Shop;

/// <summary>
/// Products for one test, made by the products service's own code in the running service (it has no API to add them):
/// added with its seeding code (<see cref="ProductsSeed.AddProductAsync"/>), changed and deleted through its data
/// model, after which the service forgets its copy as it does after any change of its own. Tests of other services thus
/// never depend on how productsdb's tables look. Each change is waited for until the products service serves it.
/// </summary>
public sealed class TestCatalog(MallServiceHost<ProductsDbContext> products)
{
    /// <summary>A new product, as the products service now serves it.</summary>
    public async Task<int> AddAsync(decimal price, int stock = 100, string? name = null)
    {
        var id = await InProductsAsync(db => ProductsSeed.AddProductAsync(
            db, $"T-{Guid.NewGuid():N}", name ?? $"Test product {Guid.NewGuid():N}", price, stock, CancellationToken.None));
        await ServedAsync(id, p => p?.Price == price && p.Stock == stock, $"new product {id} at {price}");
        return id;
    }

    /// <summary>
    /// The price changed in productsdb alone, announcing nothing, unlike staff's <c>PUT /api/products/{id}/price</c>:
    /// tests of the services that follow ProductPriceChanged publish the event themselves, when they choose.
    /// </summary>
    public async Task SetPriceAsync(int id, decimal price)
    {
        await ChangeAsync(id, product => product.ExecuteUpdateAsync(s => s.SetProperty(p => p.Price, price)));
        await ServedAsync(id, p => p?.Price == price, $"product {id} at {price}");
    }

    public async Task SetStockAsync(int id, int stock)
    {
        await ChangeAsync(id, product => product.ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, stock)));
        await ServedAsync(id, p => p?.Stock == stock, $"product {id} with stock {stock}");
    }

    public async Task DeleteAsync(int id)
    {
        await ChangeAsync(id, product => product.ExecuteDeleteAsync());
        await ServedAsync(id, p => p is null, $"product {id} gone");
    }

    /// <summary>An id no product has.</summary>
    public Task<int> UnknownIdAsync() =>
        InProductsAsync(async db => (await db.Products.MaxAsync(p => (int?)p.Id) ?? 0) + 1_000_000);

    /// <summary>Runs <paramref name="change"/> on product <paramref name="id"/> alone, which must exist.</summary>
    private async Task ChangeAsync(int id, Func<IQueryable<Product>, Task<int>> change)
    {
        Assert.Equal(1, await InProductsAsync(db => change(db.Products.Where(p => p.Id == id))));
        products.Services.GetRequiredService<ProductDetails>().Forget(id);
    }

    /// <summary>Runs <paramref name="work"/> on the products service's own database context, in a scope of its own.</summary>
    private async Task<T> InProductsAsync<T>(Func<ProductsDbContext, Task<T>> work)
    {
        await using var scope = products.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ProductsDbContext>());
    }

    /// <summary>Waits until the products service's answer for <paramref name="id"/> (null: 404) satisfies <paramref name="condition"/>.</summary>
    private async Task ServedAsync(int id, Func<ServedProduct?, bool> condition, string what)
    {
        using var http = products.CreateClient();
        await Eventually.HoldsAsync(
            async () =>
            {
                using var response = await http.GetAsync($"/api/products/{id}");
                return condition(response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<ServedProduct>());
            },
            TimeSpan.FromSeconds(10),
            $"the products service serves {what}");
    }

    private sealed record ServedProduct(int Id, decimal Price, int? Stock);
}
