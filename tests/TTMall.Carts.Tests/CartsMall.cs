using System.Net.Http.Headers;
using TTMall.Carts;
using TTMall.Products.Data;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Carts.Tests;

/// <summary>
/// Real Postgres, Redis and RabbitMQ (<see cref="MallInfrastructureFixture"/>), the real products service and a
/// carts service that finds it through service discovery's configuration provider, as in the mall with Eureka
/// off. Shared by every test class of the collection, which run one after another; each test makes its own
/// users and products, so nothing one test does is seen by another.
/// </summary>
public sealed class CartsMall : IAsyncLifetime
{
    private readonly MallInfrastructureFixture _infrastructure = new();
    private MallServiceHost<ProductsDbContext>? _products;
    private MallServiceHost<CartStore>? _carts;
    private TestCatalog? _catalog;

    public MallServiceHost<ProductsDbContext> Products => _products ?? throw NotStarted();

    /// <summary>The carts service most tests talk to.</summary>
    public MallServiceHost<CartStore> Carts => _carts ?? throw NotStarted();

    /// <summary>Products made for a test by the products service's own code.</summary>
    public TestCatalog Catalog => _catalog ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        _products = new MallServiceHost<ProductsDbContext>(_infrastructure.ConnectionStrings);
        _catalog = new TestCatalog(_products);
        _carts = StartCarts();
    }

    /// <summary>Another carts replica on the same Redis and products (or on the products address given).</summary>
    public MallServiceHost<CartStore> StartCarts(Uri? products = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(_infrastructure.ConnectionStrings
            .Append(new("Services:products:http:0", (products ?? Products.BaseAddress).ToString().TrimEnd('/')))
            .Concat(settings ?? new Dictionary<string, string?>())
            .ToDictionary());

    /// <summary>A client of <paramref name="carts"/> (default: <see cref="Carts"/>) that sends <paramref name="token"/>, if any.</summary>
    public HttpClient Client(string? token, MallServiceHost<CartStore>? carts = null)
    {
        var http = (carts ?? Carts).CreateClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>A client for a new user of its own.</summary>
    public HttpClient NewShopper(MallServiceHost<CartStore>? carts = null) => Client(TestTokens.For(TestTokens.NewUser()), carts);

    public async Task DisposeAsync()
    {
        if (_carts is not null)
        {
            await _carts.DisposeAsync();
        }

        if (_products is not null)
        {
            await _products.DisposeAsync();
        }

        await _infrastructure.DisposeAsync();
    }

    private static InvalidOperationException NotStarted() => new("The carts mall is not started.");
}

[CollectionDefinition(Name)]
public sealed class CartsCollection : ICollectionFixture<CartsMall>
{
    public const string Name = "carts";
}
