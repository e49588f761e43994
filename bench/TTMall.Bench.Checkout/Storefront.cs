using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TTMall.Products.Data;
using TTMall.Testing.Shop;
using TTMall.Users;
using TTMall.Users.Data;

namespace TTMall.Bench.Checkout;

/// <summary>
/// What is made before anything is timed: products with stock enough for every checkout of the run, added by the
/// products service's own seeding code, and shoppers signed up (confirmation code read from users' mail outbox
/// through its own model), signed in and given an address, each through the users service's API.
/// </summary>
public static class Storefront
{
    /// <summary>Stock no run sells out: a checkout takes one piece.</summary>
    public const int Stock = 10_000_000;

    /// <summary>Products for the shoppers to share, a few of them per product (a hot product's stock row is shared).</summary>
    public static async Task<IReadOnlyList<int>> AddProductsAsync(string productsDb, int count, CancellationToken cancellationToken)
    {
        await using var db = new ProductsDbContext(new DbContextOptionsBuilder<ProductsDbContext>().UseNpgsql(productsDb).Options);
        var ids = new List<int>();
        for (var i = 1; i <= count; i++)
        {
            ids.Add(await ProductsSeed.AddProductAsync(db, $"BENCH-{Guid.NewGuid():N}", $"Checkout bench product {i}", 9.90m + i, Stock, cancellationToken));
        }

        return ids;
    }

    /// <summary>A new shopper through the users service: signed up, confirmed, signed in, with one address.</summary>
    /// <returns>The access token and the address's id.</returns>
    public static async Task<(string AccessToken, Guid AddressId)> SignUpAsync(HttpMessageHandler handler, Uri users, string usersDb, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = users };
        var email = UsersHttp.NewEmail("bench");
        await http.SignUpAsync(email, async since =>
        {
            await using var db = new UsersDbContext(new DbContextOptionsBuilder<UsersDbContext>().UseNpgsql(usersDb).Options);
            return await db.CodeMailedToAsync(email, since);
        });
        using var signedIn = await http.SignInAsync(email);
        var tokens = await signedIn.TokensAsync();
        using var shopper = new HttpClient(handler, disposeHandler: false) { BaseAddress = users };
        shopper.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var address = await shopper.AddAddressAsync(UsersHttp.Address("张三"));
        return (tokens.AccessToken, address.Id);
    }
}
