using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TTMall.Data;
using TTMall.Data.Idempotency;
using TTMall.Messaging;
using TTMall.Orders.Data;
using TTMall.ServiceDefaults.Http;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Orders;

public static class OrdersServiceExtensions
{
    public const string ShopperPolicy = "shopper";

    /// <summary>
    /// Orders in Postgres (ordersdb) with their outbox and inbox, the consumers of the stock and payment events, the
    /// payment-deadline scan, and the carts, users and products services read over HTTP (found through discovery).
    /// </summary>
    public static IHostApplicationBuilder AddOrdersService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<OrdersDbContext>(OrdersDbContext.ConnectionName, "orders");
        builder.Services.AddDatabaseMigration<OrdersDbContext>();
        builder.Services.AddIdempotencyKeys<OrdersDbContext>();
        builder.AddServiceMessaging<OrdersDbContext>(consumers =>
        {
            consumers.AddConsumer<StockReservedConsumer>();
            consumers.AddConsumer<StockRejectedConsumer>();
            consumers.AddConsumer<PaymentSucceededConsumer>();
            consumers.AddConsumer<PaymentFailedConsumer>();
        });

        builder.Services.AddOptions<OrdersOptions>()
            .Bind(builder.Configuration.GetSection(OrdersOptions.Section))
            .Validate(o => o.IsValid(), "Orders:PaymentDeadline and Orders:DeadlineScanInterval must be positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<OrderPlacement>();
        builder.Services.AddSingleton<ServiceReads>();
        builder.Services.AddHostedService<PaymentDeadlineScan>();

        // Service discovery and the standard resilience handler come with every HttpClient (service defaults).
        foreach (var service in ServiceReads.Services)
        {
            builder.Services.AddHttpClient(service, http => http.BaseAddress = ServiceReads.BaseAddress(service));
        }

        builder.Services
            .AddUnavailableDependency<DependencyUnavailableException>("The cart is not answering",
                "Orders are made from your cart, kept by the carts service, which did not answer. Try again in a moment.",
                e => e.Service == "carts")
            .AddUnavailableDependency<DependencyUnavailableException>("The address book is not answering",
                "Orders are delivered to an address from your address book, kept by the users service, which did not answer. Try again in a moment.",
                e => e.Service == "users")
            .AddUnavailableDependency<DependencyUnavailableException>("The product catalog is not answering",
                "Orders take names, prices and stock from the products service, which did not answer. Try again in a moment.",
                e => e.Service == "products");
        builder.Services.AddAuthorizationBuilder().AddPolicy(ShopperPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.MallUser() is not null));
        return builder;
    }

    public static IEndpointRouteBuilder MapOrdersService(this IEndpointRouteBuilder app) => app.MapOrdersApi();
}
