using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using TTMall.Data;
using TTMall.Data.Idempotency;
using TTMall.Messaging;
using TTMall.Products.Data;
using TTMall.Products.Stock;

namespace TTMall.Products;

public static class ProductsServiceExtensions
{
    public static IHostApplicationBuilder AddProductsService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ProductsDbContext>(ProductsDbContext.ConnectionName, "products", WithPreparedStatements);
        builder.Services.AddDatabaseMigration<ProductsDbContext>(ProductsSeed.SeedAsync);
        builder.Services.AddIdempotencyKeys<ProductsDbContext>();
        builder.Services.AddOptions<ProductsOptions>()
            .Bind(builder.Configuration.GetSection(ProductsOptions.Section))
            .Validate(o => o.ProductDetailsLifetime >= TimeSpan.Zero, $"{ProductsOptions.Section}:ProductDetailsLifetime must not be negative.")
            .ValidateOnStart();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ProductDetails>();
        builder.Services.AddScoped<ProductSearch>();
        builder.Services.AddScoped<ReviewWriter>();
        builder.Services.AddScoped<StockKeeper>();
        builder.Services.AddScoped<PriceSetter>();
        builder.AddServiceMessaging<ProductsDbContext>(consumers =>
        {
            consumers.AddConsumer<OrderSubmittedConsumer>();
            consumers.AddConsumer<OrderCancelledConsumer>();
            // Every replica keeps its own product details, so every replica needs every price change. What a replica
            // misses while disconnected costs at most ProductDetailsLifetime of an old price.
            consumers.AddConsumerOnEveryReplica<ProductPriceChangedConsumer>();
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Npgsql prepares a statement on the server once it has been run a few times on a connection. Planning the
    /// search's trigram query costs Postgres more than running it on a catalog this size; a prepared statement is
    /// planned once.
    /// </summary>
    private static string? WithPreparedStatements(string? connectionString) =>
        connectionString is null ? null : new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString;

    public static IEndpointRouteBuilder MapProductsService(this IEndpointRouteBuilder app) =>
        app.MapProductsApi().MapCatalogApi().MapReviewsApi();
}
