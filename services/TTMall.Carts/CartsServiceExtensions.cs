using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;
using TTMall.Messaging;
using TTMall.ServiceDefaults.Http;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Carts;

public static class CartsServiceExtensions
{
    public const string RedisConnectionName = "redis";
    public const string CartOwnerPolicy = "cart-owner";

    /// <summary>
    /// Carts in Redis, products over HTTP from the products service (found through discovery), the checkout's events
    /// from RabbitMQ (<c>ConnectionStrings:rabbitmq</c>).
    /// </summary>
    public static IHostApplicationBuilder AddCartsService(this IHostApplicationBuilder builder)
    {
        // A command sent while Redis is unreachable fails at once (a 503 problem) instead of waiting in a backlog for
        // the command timeout: the gateway gives a read 3 s before it tries another replica, which would wait as well.
        builder.AddRedisClient(RedisConnectionName, configureOptions: redis => redis.BacklogPolicy = BacklogPolicy.FailFast);
        builder.Services.AddHostedService<RedisConnector>();
        builder.Services.Configure<CartsOptions>(builder.Configuration.GetSection(CartsOptions.Section));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CartStore>();
        builder.Services.AddSingleton<ProductCatalog>();
        // Service discovery and the standard resilience handler come with every HttpClient (service defaults).
        builder.Services.AddHttpClient(ProductCatalog.HttpClientName, http => http.BaseAddress = ProductCatalog.BaseAddress);
        builder.Services
            .AddUnavailableDependency<ProductsUnavailableException>("The product catalog is not answering",
                "Carts take names, prices and stock from the products service, which did not answer. Try again in a moment.")
            .AddUnavailableDependency<Exception>("The cart store is not answering",
                "Carts are kept in Redis, which did not answer. Try again in a moment.",
                e => e is RedisConnectionException or RedisTimeoutException);
        // RabbitMQ away leaves /health Degraded at worst: carts serve without it, only the events wait in their queues.
        builder.AddServiceMessaging(consumers =>
        {
            // The service's shared queue (carts-order-submitted): each order empties its cart once, on one replica.
            consumers.AddConsumer<OrderSubmittedConsumer>();
            // Snapshots are per replica, so every replica needs every price change, and a queue the replicas share
            // would give each event to one of them. What a replica misses while disconnected costs at most
            // ProductSnapshotLifetime of an old price: the snapshots stay short-lived for that.
            consumers.AddConsumerOnEveryReplica<ProductPriceChangedConsumer>();
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(CartOwnerPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.MallUser() is not null));
        return builder;
    }
}

/// <summary>
/// Connects to Redis before the server takes requests. The Redis client otherwise connects on first use, blocking
/// a thread while it does, and every other request of a new replica's first burst blocks another one waiting for
/// it: on two cores the thread pool starves and the connect times out.
/// </summary>
internal sealed class RedisConnector(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<IConnectionMultiplexer>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
