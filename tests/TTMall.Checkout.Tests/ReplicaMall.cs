using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using TTMall.Carts;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders;
using TTMall.Orders.Data;
using TTMall.Products.Data;
using TTMall.Users.Data;

namespace TTMall.Checkout.Tests;

/// <summary>
/// The checkout with products and orders as real processes, two replicas each, that a test can SIGKILL: real
/// Postgres, Redis and RabbitMQ of their own (<see cref="MallInfrastructureFixture"/>), users and carts in this
/// process. Orders reads products from products-1 and takes orders on orders-1, so a test kills products-2 or orders-2
/// without failing a shopper's request. Carts is not on RabbitMQ here: it never clears a cart on OrderSubmitted, so
/// one shopper's cart can be ordered many times at once, the burst these tests need. Every test starts with
/// <see cref="EnsureAllRunningAsync"/>.
/// </summary>
public sealed class ReplicaMall : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly MallInfrastructureFixture _infrastructure = new();
    private readonly List<ServiceProcess> _products = [];
    private readonly List<ServiceProcess> _orders = [];
    private MallServiceHost<UsersDbContext>? _users;
    private MallServiceHost<CartStore>? _carts;
    private TestBus? _bus;

    /// <summary>products-1 (which orders and carts read from) and products-2.</summary>
    public IReadOnlyList<ServiceProcess> Products => _products;

    /// <summary>orders-1 (which takes the orders) and orders-2.</summary>
    public IReadOnlyList<ServiceProcess> Orders => _orders;

    /// <summary>Records every OrderSubmitted published, with its MessageId.</summary>
    public TestBus Bus => _bus ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        _bus = await TestBus.StartAsync(_infrastructure.ConnectionString("rabbitmq"), "replica-tests", events => events.Record<OrderSubmitted>());
        _users = CheckoutMall.StartUsers(_infrastructure.ConnectionStrings);
        var stores = new Dictionary<string, string>
        {
            ["productsdb"] = _infrastructure.ConnectionString("productsdb"),
            ["ordersdb"] = _infrastructure.ConnectionString("ordersdb"),
            ["rabbitmq"] = _infrastructure.ConnectionString("rabbitmq"),
        };
        for (var i = 1; i <= 2; i++)
        {
            _products.Add(MallService.CreateWithoutDiscovery("TTMall.Products", "products", $"products-{i}", TestTokens.PublicKeys, stores));
        }

        // Both at once: the migrations and seed data take turns under their advisory lock.
        await Task.WhenAll(_products.Select(p => p.StartAsync(StartTimeout)));
        _carts = new MallServiceHost<CartStore>(_infrastructure.ConnectionStrings
            .Where(c => c.Key != "ConnectionStrings:rabbitmq")
            .Append(new("ConnectionStrings:rabbitmq", $"amqp://guest:guest@127.0.0.1:{FreePort.OnLoopback()}/"))
            // What MassTransit says of a broker that is not there on purpose, with a stack trace per try, is noise.
            .Append(new("Logging:LogLevel:MassTransit", "None"))
            .Append(new("Services:products:http:0", _products[0].BaseUri.ToString().TrimEnd('/')))
            .ToDictionary());
        var services = new Dictionary<string, IReadOnlyList<Uri>>
        {
            ["products"] = [_products[0].BaseUri],
            ["users"] = [_users.BaseAddress],
            ["carts"] = [_carts.BaseAddress],
        };
        for (var i = 1; i <= 2; i++)
        {
            _orders.Add(MallService.CreateWithoutDiscovery("TTMall.Orders", "orders", $"orders-{i}", TestTokens.PublicKeys, stores, services));
        }

        await Task.WhenAll(_orders.Select(o => o.StartAsync(StartTimeout)));
    }

    /// <summary>Starts again whatever an earlier test killed, each on its old port.</summary>
    public Task EnsureAllRunningAsync() =>
        Task.WhenAll(_products.Concat(_orders).Where(p => !p.IsRunning).Select(p => p.StartAsync(StartTimeout)));

    /// <summary>A new product, written by the products service's own seeding code.</summary>
    public Task<int> AddProductAsync(decimal price, int stock) =>
        InProductsAsync(db => ProductsSeed.AddProductAsync(db, $"T-{Guid.NewGuid():N}", $"Test product {Guid.NewGuid():N}", price, stock, CancellationToken.None));

    /// <summary>
    /// A new shopper with <paramref name="quantity"/> of <paramref name="product"/> in the cart; returns a client of
    /// orders-1 that sends the shopper's token, and the shopper's address.
    /// </summary>
    public async Task<(HttpClient Orders, Guid AddressId)> ShopperWithCartAsync(int product, int quantity)
    {
        var shopper = await (_users ?? throw NotStarted()).NewShopperAsync("buyer");
        var address = await shopper.Http.AddAddressAsync(UsersHttp.Address("张三"));
        using (var cart = (_carts ?? throw NotStarted()).CreateClient())
        {
            cart.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", shopper.Tokens.AccessToken);
            await cart.AddOkAsync(product, quantity);
        }

        shopper.Http.Dispose();
        var orders = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = _orders[0].BaseUri,
            Timeout = TimeSpan.FromSeconds(60),
        };
        orders.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", shopper.Tokens.AccessToken);
        return (orders, address.Id);
    }

    /// <summary>
    /// Places <paramref name="count"/> orders of the shopper's cart, each with its own Idempotency-Key, eight in flight at
    /// a time (what two loaded cores answer within the services' timeouts); each must be 201. Returns their ids.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> PlaceManyAsync(HttpClient orders, Guid addressId, int count)
    {
        var placed = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            using var response = await orders.PlaceAsync(new { addressId }, Guid.NewGuid().ToString());
            placed.Add((await OrderHttp.ReadAsync<OrderDto>(response, HttpStatusCode.Created)).Id);
        });
        return [.. placed];
    }

    /// <summary>What products decided for each of <paramref name="orderIds"/> (one row per order at most: its key).</summary>
    public Task<List<OrderStock>> OrderStockAsync(IReadOnlyCollection<Guid> orderIds) =>
        InProductsAsync(db => db.OrderStock.AsNoTracking().Where(s => orderIds.Contains(s.OrderId)).ToListAsync());

    /// <summary>How many orders products has decided on since <paramref name="since"/>.</summary>
    public Task<int> DecidedSinceAsync(DateTimeOffset since) =>
        InProductsAsync(db => db.OrderStock.CountAsync(s => s.DecidedAt >= since));

    public Task<int> StockAsync(int product) =>
        InProductsAsync(db => db.Products.Where(p => p.Id == product).Select(p => p.Stock).SingleAsync());

    /// <summary>Each order's status as ordersdb has it.</summary>
    public Task<List<OrderStatus>> StatusesAsync(IReadOnlyCollection<Guid> orderIds) =>
        InOrdersAsync(db => db.Orders.Where(o => orderIds.Contains(o.Id)).Select(o => o.Status).ToListAsync());

    /// <summary>Events in orders' outbox not yet published.</summary>
    public Task<int> UnsentAsync() => InOrdersAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null));

    /// <summary>Events in orders' outbox written since <paramref name="since"/> and published.</summary>
    public Task<int> SentSinceAsync(DateTimeOffset since) =>
        InOrdersAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt != null && m.CreatedAt >= since));

    /// <summary>
    /// Waits until every one of <paramref name="orderIds"/> is decided (awaiting payment or cancelled), then checks what
    /// "once" means for the stock: each order decided once by products, all reserved (there was stock for all),
    /// and the product's stock down by exactly <paramref name="quantity"/> per order from <paramref name="initialStock"/>.
    /// </summary>
    public async Task AssertEachReservedOnceAsync(IReadOnlyList<Guid> orderIds, int product, int initialStock, int quantity)
    {
        List<OrderStatus> statuses = [];
        await Eventually.HoldsAsync(
            async () => (statuses = await StatusesAsync(orderIds)).All(s => s is OrderStatus.AwaitingPayment or OrderStatus.Cancelled),
            TimeSpan.FromSeconds(90), "every order is decided",
            () => string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}")) + "\n" + Logs());
        Assert.Equal(orderIds.Count, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(OrderStatus.AwaitingPayment, s));
        var decided = await OrderStockAsync(orderIds);
        Assert.Equal(orderIds.Count, decided.Count);
        Assert.All(decided, d => Assert.Equal((OrderStockState.Reserved, quantity), (d.State, Assert.Single(d.Held).Quantity)));
        Assert.Equal(initialStock - (orderIds.Count * quantity), await StockAsync(product));
    }

    /// <summary>The last lines of every process's log, for a failure message.</summary>
    public string Logs() => string.Join("\n", _products.Concat(_orders).Select(p => $"--- {p.Name} ---\n{string.Join("\n", p.Lines.TakeLast(30).Select(l => l.Text))}"));

    public async Task DisposeAsync()
    {
        foreach (var process in _orders.Concat(_products))
        {
            await process.DisposeAsync();
        }

        foreach (var host in new IAsyncDisposable?[] { _carts, _users, _bus })
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        await _infrastructure.DisposeAsync();
    }

    private async Task<T> InProductsAsync<T>(Func<ProductsDbContext, Task<T>> work)
    {
        await using var db = new ProductsDbContext(new DbContextOptionsBuilder<ProductsDbContext>()
            .UseNpgsql(_infrastructure.ConnectionString("productsdb")).Options);
        return await work(db);
    }

    private async Task<T> InOrdersAsync<T>(Func<OrdersDbContext, Task<T>> work)
    {
        await using var db = new OrdersDbContext(new DbContextOptionsBuilder<OrdersDbContext>()
            .UseNpgsql(_infrastructure.ConnectionString("ordersdb")).Options);
        return await work(db);
    }

    private static InvalidOperationException NotStarted() => new("The replica mall is not started.");
}
