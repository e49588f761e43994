using TTMall.Data;
using TTMall.Products.Data;

namespace TTMall.Products;

public static class ProductsServiceExtensions
{
    public static IHostApplicationBuilder AddProductsService(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<ProductsDbContext>(ProductsDbContext.ConnectionName);
        builder.Services.AddDatabaseMigration<ProductsDbContext>(ProductsSeed.SeedAsync);
        return builder;
    }
}
