using System.Net.Http.Headers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
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
    private CartsBus? _bus;

    public MallServiceHost<ProductsDbContext> Products => _products ?? throw NotStarted();

    /// <summary>The carts service most tests talk to.</summary>
    public MallServiceHost<CartStore> Carts => _carts ?? throw NotStarted();

    /// <summary>Products made for a test by the products service's own code.</summary>
    public TestCatalog Catalog => _catalog ?? throw NotStarted();

    /// <summary>Publishes events as orders and products do.</summary>
    public CartsBus Bus => _bus ?? throw NotStarted();

    /// <summary>What <see cref="Carts"/> has consumed.</summary>
    public ConsumedMessages Consumed { get; } = new();

    /// <summary>The rabbitmq connection string.</summary>
    public string RabbitMq => _infrastructure.ConnectionString("rabbitmq");

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        _products = new MallServiceHost<ProductsDbContext>(_infrastructure.ConnectionStrings);
        _catalog = new TestCatalog(_products);
        _carts = StartCarts();
        _carts.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
        _bus = await CartsBus.StartAsync(RabbitMq);
        await ListeningAsync(_carts);
    }

    /// <summary>
    /// Waits until <paramref name="carts"/> is connected to RabbitMQ with its queues bound: the bus connects in the
    /// background (a replica starts while RabbitMQ is away), and an event published before would not reach it.
    /// </summary>
    public static async Task ListeningAsync(MallServiceHost<CartStore> carts)
    {
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await carts.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
    }

    /// <summary>
    /// Another carts replica on the same Redis, RabbitMQ and products (or on the products address given);
    /// <paramref name="settings"/> win over those.
    /// </summary>
    public MallServiceHost<CartStore> StartCarts(Uri? products = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(_infrastructure.ConnectionStrings
            .Append(new("Services:products:http:0", (products ?? Products.BaseAddress).ToString().TrimEnd('/')))
            .Concat(settings ?? new Dictionary<string, string?>())
            .GroupBy(s => s.Key)
            .ToDictionary(g => g.Key, g => g.Last().Value));

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
        if (_bus is not null)
        {
            await _bus.DisposeAsync();
        }

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
