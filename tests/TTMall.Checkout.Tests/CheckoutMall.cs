using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TTMall.Carts;
using TTMall.Contracts;
using TTMall.Orders;
using TTMall.Orders.Data;
using TTMall.PaymentProvider.Data;
using TTMall.Payments.Data;
using TTMall.Products.Data;
using TTMall.ServiceDefaults.Security;
using TTMall.Users.Data;

namespace TTMall.Checkout.Tests;

/// <summary>
/// Real Postgres, Redis and RabbitMQ (<see cref="MallInfrastructureFixture"/>); the real products, users, carts,
/// orders and payments services, each finding the others through service discovery's configuration provider, as in
/// the mall with Eureka off; the payment provider sandbox with a test API key, which payments is pointed at; and a
/// <see cref="TestBus"/> that records what orders publishes and can publish what products and payments would. Shared
/// by every test class of the collection, which run one after another; each test makes its own shoppers and products.
/// </summary>
public sealed class CheckoutMall : IAsyncLifetime
{
    /// <summary>Made per run, as the AppHost makes its secret parameter.</summary>
    public string ProviderApiKey { get; } = $"sk_test_{Guid.NewGuid():N}";

    private readonly MallInfrastructureFixture _infrastructure = new();
    private MallServiceHost<ProductsDbContext>? _products;
    private MallServiceHost<UsersDbContext>? _users;
    private MallServiceHost<CartStore>? _carts;
    private MallServiceHost<OrdersDbContext>? _orders;
    private MallServiceHost<ProviderDbContext>? _provider;
    private MallServiceHost<PaymentsDbContext>? _payments;
    private TestBus? _bus;
    private TestCatalog? _catalog;

    public MallServiceHost<UsersDbContext> Users => _users ?? throw NotStarted();
    public MallServiceHost<CartStore> Carts => _carts ?? throw NotStarted();
    public MallServiceHost<OrdersDbContext> Orders => _orders ?? throw NotStarted();
    public MallServiceHost<ProviderDbContext> Provider => _provider ?? throw NotStarted();
    public MallServiceHost<PaymentsDbContext> Payments => _payments ?? throw NotStarted();
    public TestBus Bus => _bus ?? throw NotStarted();

    /// <summary>Products made for a test by the products service's own code.</summary>
    public TestCatalog Catalog => _catalog ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        _bus = await TestBus.StartAsync(_infrastructure.ConnectionString("rabbitmq"), "orders-tests", events => events
            .Record<OrderSubmitted>().Record<OrderPaid>().Record<OrderCancelled>().Record<PaymentRefundRequested>());
        _products = new MallServiceHost<ProductsDbContext>(_infrastructure.ConnectionStrings);
        _catalog = new TestCatalog(_products);
        _users = StartUsers(_infrastructure.ConnectionStrings);
        _carts = new MallServiceHost<CartStore>(_infrastructure.ConnectionStrings
            .Append(new("Services:products:http:0", Address(_products)))
            .ToDictionary());
        _orders = StartOrders();
        _provider = new MallServiceHost<ProviderDbContext>(_infrastructure.ConnectionStrings
            .Append(new("Provider:ApiKey", ProviderApiKey))
            .ToDictionary());
        _payments = StartPayments();

        await OrdersAnswersOnTheBusAsync();
    }

    /// <summary>
    /// A payment for an order that does not exist is sent back: once that round trip works, orders' queues are bound
    /// and its outbox is relayed, so no event a test publishes is lost to an endpoint not yet there.
    /// </summary>
    private async Task OrdersAnswersOnTheBusAsync()
    {
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

    /// <summary>The users service, signing access tokens with the test key, letting every test sign up and in from this machine.</summary>
    public static MallServiceHost<UsersDbContext> StartUsers(IReadOnlyDictionary<string, string?> connectionStrings) =>
        new(connectionStrings
            .Append(new($"{JwtOptions.Section}:SigningKey", TestTokens.SigningKey))
            .Append(new("Users:SignInAttemptsPerClient", "1000000"))
            .Append(new("Users:SignUpsPerClient", "1000000"))
            .ToDictionary());

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

    /// <summary>
    /// A payments replica on the same paymentsdb and RabbitMQ, reading orders from the orders service and charging at
    /// the provider, waiting <paramref name="providerTimeout"/> (its default when null) for each of the provider's answers.
    /// </summary>
    public MallServiceHost<PaymentsDbContext> StartPayments(TimeSpan? providerTimeout = null)
    {
        var settings = _infrastructure.ConnectionStrings
            .Append(new("Services:orders:http:0", Address(_orders ?? throw NotStarted())))
            .Append(new("Payments:Provider:Url", Address(_provider ?? throw NotStarted())))
            .Append(new("Payments:Provider:ApiKey", ProviderApiKey));
        if (providerTimeout is { } timeout)
        {
            settings = settings.Append(new("Payments:Provider:Timeout", timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new(settings.ToDictionary());
    }

    /// <summary>
    /// Stops RabbitMQ as a person would from the dashboard; <see cref="StartRabbitMqAsync"/> brings it back. Every
    /// service keeps serving meanwhile, and what it writes waits in its outbox.
    /// </summary>
    public Task StopRabbitMqAsync() => _infrastructure.StopResourceAsync("rabbitmq");

    /// <summary>
    /// Starts RabbitMQ again and waits until every service's bus has connected again (each one's <c>/health</c> is
    /// Healthy, not Degraded) and orders answers an event published on the bus, so the tests after it find the mall
    /// as they would have.
    /// </summary>
    public async Task StartRabbitMqAsync()
    {
        await _infrastructure.StartResourceAsync("rabbitmq");
        var buses = new HttpClient[] { ProductsClient(), Carts.CreateClient(), Orders.CreateClient(), Payments.CreateClient() };
        try
        {
            foreach (var http in buses)
            {
                var last = "";
                await Eventually.HoldsAsync(
                    async () => (last = await http.GetStringAsync("/health")) == "Healthy",
                    TimeSpan.FromSeconds(60), $"{http.BaseAddress} is connected to RabbitMQ again", () => $"last /health: {last}");
            }
        }
        finally
        {
            foreach (var http in buses)
            {
                http.Dispose();
            }
        }

        await OrdersAnswersOnTheBusAsync();
    }

    /// <summary>An anonymous client of the products service.</summary>
    public HttpClient ProductsClient() => (_products ?? throw NotStarted()).CreateClient();

    /// <summary>A client of the payment provider with the API key payments uses: what the card network has on its books.</summary>
    public HttpClient ProviderClient()
    {
        var http = Provider.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ProviderApiKey);
        return http;
    }

    /// <summary>
    /// Runs <paramref name="work"/> while orders gives a shopper <paramref name="deadline"/> to pay for an order
    /// whose stock is reserved, instead of the configured fifteen minutes (too long to wait for in a test). Orders reads
    /// the setting anew for each reservation, as it would after a configuration reload.
    /// </summary>
    public async Task WithPaymentDeadlineAsync(TimeSpan deadline, Func<Task> work)
    {
        var options = Orders.Services.GetRequiredService<IOptionsMonitorCache<OrdersOptions>>();
        var configured = Orders.Services.GetRequiredService<IOptionsMonitor<OrdersOptions>>().CurrentValue;
        Replace(new OrdersOptions { PaymentDeadline = deadline, DeadlineScanInterval = configured.DeadlineScanInterval });
        try
        {
            await work();
        }
        finally
        {
            Replace(configured);
        }

        void Replace(OrdersOptions value)
        {
            options.TryRemove(Options.DefaultName);
            options.TryAdd(Options.DefaultName, value);
        }
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
        var payments = Payments.CreateClient();
        payments.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TestShopper(signedIn.Id, token, address.Id, signedIn.Http, cart, OrdersClient(token), payments);
    }

    /// <summary>
    /// An order that products rejects: orders checks the stock products serves when it places an order, so an order
    /// for more than the stock is refused outright, and products rejects only what it cannot reserve when the order
    /// reaches it. Here <paramref name="shoppers"/> shoppers order 2 each of a product (named <paramref name="productName"/>)
    /// with 2 left, all at once: orders places several before products has reserved any, products reserves one and
    /// rejects the others. Returns one rejected order (Cancelled) with its shopper, and the product.
    /// </summary>
    public async Task<(TestShopper Shopper, OrderDto Order, int Product)> RejectedOrderAsync(string productName, int shoppers = 6)
    {
        var product = await Catalog.AddAsync(19.90m, stock: 10, name: productName);
        var all = await Task.WhenAll(Enumerable.Range(0, shoppers).Select(async _ =>
        {
            var shopper = await NewShopperAsync();
            await shopper.Cart.AddOkAsync(product, 2);
            return shopper;
        }));
        await Catalog.SetStockAsync(product, 2);

        var placed = await Task.WhenAll(all.Select(async shopper =>
        {
            using var response = await shopper.PlaceAsync();
            return response.StatusCode == System.Net.HttpStatusCode.Created
                ? (shopper, Order: await OrderHttp.ReadAsync<OrderDto>(response, System.Net.HttpStatusCode.Created))
                : (shopper, Order: null);
        }));
        var finals = await Task.WhenAll(placed.Where(p => p.Order is not null).Select(async p =>
        {
            OrderDto? last = null;
            await Eventually.HoldsAsync(
                async () => (last = await p.shopper.GetOrderAsync(p.Order!.Id)).Status != OrderStatus.Submitted,
                TimeSpan.FromSeconds(30), $"products decides on order {p.Order!.Id}");
            return (p.shopper, Order: last!);
        }));
        Assert.Single(finals, f => f.Order.Status == OrderStatus.AwaitingPayment);
        var rejected = finals.First(f => f.Order.Status == OrderStatus.Cancelled);
        foreach (var shopper in all.Where(s => s != rejected.shopper))
        {
            shopper.Dispose();
        }

        return (rejected.shopper, rejected.Order, product);
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
        foreach (var host in new IAsyncDisposable?[] { _payments, _provider, _orders, _carts, _users, _products, _bus })
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        await _infrastructure.DisposeAsync();
    }

    private static string Address<T>(MallServiceHost<T> host) where T : class => host.BaseAddress.ToString().TrimEnd('/');

    private static InvalidOperationException NotStarted() => new("The checkout mall is not started.");
}

[CollectionDefinition(Name)]
public sealed class CheckoutCollection : ICollectionFixture<CheckoutMall>
{
    public const string Name = "checkout";
}
