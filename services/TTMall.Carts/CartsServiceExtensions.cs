using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Carts;

public static class CartsServiceExtensions
{
    public const string RedisConnectionName = "redis";
    public const string CartOwnerPolicy = "cart-owner";

    /// <summary>Carts in Redis, products over HTTP from the products service (found through discovery).</summary>
    public static IHostApplicationBuilder AddCartsService(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(RedisConnectionName);
        builder.Services.AddHostedService<RedisConnector>();
        builder.Services.Configure<CartsOptions>(builder.Configuration.GetSection(CartsOptions.Section));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CartStore>();
        builder.Services.AddSingleton<ProductCatalog>();
        // Service discovery and the standard resilience handler come with every HttpClient (service defaults).
        builder.Services.AddHttpClient(ProductCatalog.HttpClientName, http => http.BaseAddress = ProductCatalog.BaseAddress);
        builder.Services.AddExceptionHandler<DependencyUnavailableHandler>();
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

/// <summary>
/// A store or service the carts depend on did not answer: 503 with problem details and a hint when to try again,
/// rather than a 500 that reads as a bug in carts.
/// </summary>
internal sealed class DependencyUnavailableHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    private const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (title, detail) = exception switch
        {
            ProductsUnavailableException => ("The product catalog is not answering",
                "Carts take names, prices and stock from the products service, which did not answer. Try again in a moment."),
            RedisConnectionException or RedisTimeoutException => ("The cart store is not answering",
                "Carts are kept in Redis, which did not answer. Try again in a moment."),
            _ => (null, null),
        };
        if (title is null || context.Response.HasStarted)
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = title, Detail = detail },
        });
    }
}
