using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TTMall.Carts;
using TTMall.Contracts;
using TTMall.Orders;
using TTMall.Orders.Data;
using TTMall.Products.Data;
using TTMall.ServiceDefaults.Security;
using TTMall.Users.Data;

namespace TTMall.Checkout.Tests;

/// <summary>
/// Real Postgres, Redis and RabbitMQ (<see cref="MallInfrastructureFixture"/>); the real products, users and carts
/// services; an orders service that finds them through service discovery's configuration provider, as in the mall with
/// Eureka off; and a <see cref="TestBus"/> standing in for the services that talk to orders by events. Shared by every
/// test class of the collection, which run one after another; each test makes its own shoppers and products.
/// </summary>
public sealed class OrdersMall : IAsyncLifetime
{
    private readonly MallInfrastructureFixture _infrastructure = new();
    private MallServiceHost<ProductsDbContext>? _products;
    private MallServiceHost<UsersDbContext>? _users;
    private MallServiceHost<CartStore>? _carts;
    private MallServiceHost<OrdersDbContext>? _orders;
    private TestBus? _bus;
    private TestCatalog? _catalog;

    public MallServiceHost<UsersDbContext> Users => _users ?? throw NotStarted();
    public MallServiceHost<CartStore> Carts => _carts ?? throw NotStarted();
    public MallServiceHost<OrdersDbContext> Orders => _orders ?? throw NotStarted();
    public TestBus Bus => _bus ?? throw NotStarted();

    /// <summary>Products made for a test by the products service's own code.</summary>
    public TestCatalog Catalog => _catalog ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        _bus = await TestBus.StartAsync(_infrastructure.ConnectionString("rabbitmq"));
        _products = new MallServiceHost<ProductsDbContext>(_infrastructure.ConnectionStrings);
        _catalog = new TestCatalog(_products);
        _users = new MallServiceHost<UsersDbContext>(_infrastructure.ConnectionStrings
            // Users alone signs access tokens; every test signs up and in from this machine.
            .Append(new($"{JwtOptions.Section}:SigningKey", TestTokens.SigningKey))
            .Append(new("Users:SignInAttemptsPerClient", "1000000"))
            .Append(new("Users:SignUpsPerClient", "1000000"))
            .ToDictionary());
        _carts = new MallServiceHost<CartStore>(_infrastructure.ConnectionStrings
            .Append(new("Services:products:http:0", Address(_products)))
            .ToDictionary());
        _orders = StartOrders();

        // A payment for an order that does not exist is sent back: once that round trip works, orders' queues are
        // bound and its outbox is relayed, so no event a test publishes is lost to an endpoint not yet there.
        var probe = new PaymentSucceeded(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1m);
        await Eventually.HoldsAsync(
            async () =>
            {
                await Bus.PublishAsync(probe);
                await Task.Delay(500);
                return Bus.Seen<PaymentRefundRequested>(r => r.PaymentId == probe.PaymentId).Count > 0;
            },
            TimeSpan.FromSeconds(60),
            "orders answers a stray payment with a refund request");
    }

    /// <summary>
    /// An orders replica on the same ordersdb and RabbitMQ, reading from the same carts, users and products, unless
    /// <paramref name="down"/> names one of them: that one's address then has nothing listening.
    /// </summary>
    public MallServiceHost<OrdersDbContext> StartOrders(string? down = null)
    {
        string At<T>(string service, MallServiceHost<T>? host) where T : class =>
            service == down ? $"http://127.0.0.1:{FreePort.OnLoopback()}" : Address(host ?? throw NotStarted());

        return new(_infrastructure.ConnectionStrings
            .Append(new("Services:products:http:0", At("products", _products)))
            .Append(new("Services:users:http:0", At("users", _users)))
            .Append(new("Services:carts:http:0", At("carts", _carts)))
            .ToDictionary());
    }

    /// <summary>A client of the orders service that sends <paramref name="token"/>, if any.</summary>
    public HttpClient OrdersClient(string? token, MallServiceHost<OrdersDbContext>? orders = null)
    {
        var http = (orders ?? Orders).CreateClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>A signed-up, signed-in shopper with one address (to <paramref name="recipient"/>) and an empty cart.</summary>
    public async Task<TestShopper> NewShopperAsync(string recipient = "张三")
    {
        var signedIn = await Users.NewShopperAsync("buyer");
        var address = await signedIn.Http.AddAddressAsync(UsersHttp.Address(recipient));
        var token = signedIn.Tokens.AccessToken;
        var cart = Carts.CreateClient();
        cart.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TestShopper(signedIn.Id, token, address.Id, signedIn.Http, cart, OrdersClient(token));
    }

    /// <summary>Runs <paramref name="work"/> on the orders service's own database context, in a scope of its own.</summary>
    public async Task<T> InOrdersAsync<T>(Func<OrdersDbContext, Task<T>> work)
    {
        await using var scope = Orders.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<OrdersDbContext>());
    }

    /// <summary>How many orders the user has, read from ordersdb.</summary>
    public Task<int> OrderCountAsync(Guid userId) => InOrdersAsync(db => db.Orders.CountAsync(o => o.UserId == userId));

    public async Task DisposeAsync()
    {
        foreach (var host in new IAsyncDisposable?[] { _orders, _carts, _users, _products, _bus })
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        await _infrastructure.DisposeAsync();
    }

    private static string Address<T>(MallServiceHost<T> host) where T : class => host.BaseAddress.ToString().TrimEnd('/');

    private static InvalidOperationException NotStarted() => new("The orders mall is not started.");
}

[CollectionDefinition(Name)]
public sealed class OrdersCollection : ICollectionFixture<OrdersMall>
{
    public const string Name = "orders";
}
