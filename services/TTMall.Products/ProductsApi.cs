using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TTMall.Products.Data;

namespace TTMall.Products;

public sealed record ProductDto(int Id, string Name, string Description, decimal Price);

public sealed record ProductPage(int Page, int PageSize, int Total, IReadOnlyList<ProductDto> Items);

public static class ProductsApi
{
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products").WithTags("Products");
        products.MapGet("/", ListAsync).WithName("ListProducts");
        products.MapGet("/{id:int}", GetAsync).WithName("GetProduct");
        return app;
    }

    public static async Task<Results<Ok<ProductPage>, ValidationProblem>> ListAsync(
        ProductsDbContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be from 1 to {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var total = await db.Products.CountAsync(cancellationToken);
        var items = await db.Products.AsNoTracking()
            .OrderBy(p => p.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(p => new ProductDto(p.Id, p.Name, p.Description, p.Price))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ProductPage(page, pageSize, total, items));
    }

    public static async Task<Results<Ok<ProductDto>, NotFound>> GetAsync(int id, ProductsDbContext db, CancellationToken cancellationToken) =>
        await db.Products.AsNoTracking()
            .Where(p => p.Id == id)
            .Select(p => new ProductDto(p.Id, p.Name, p.Description, p.Price))
            .FirstOrDefaultAsync(cancellationToken) is { } product
            ? TypedResults.Ok(product)
            : TypedResults.NotFound();
}
