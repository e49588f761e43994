using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TTMall.Products.Data;

namespace TTMall.Products;

public sealed record CategoryDto(int Id, string Slug, string Name, string EnglishName, int ProductCount);

public sealed record BrandDto(int Id, string Slug, string Name, int ProductCount);

/// <summary>What the catalog can be filtered by: categories and brands, with how many products each has.</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var catalog = app.MapGroup("/api/products").WithTags("Catalog");
        catalog.MapGet("/categories", CategoriesAsync)
            .WithName("ListCategories")
            .WithSummary("Every category, with its product count");
        catalog.MapGet("/brands", BrandsAsync)
            .WithName("ListBrands")
            .WithSummary("Every brand, with its product count");
        return app;
    }

    public static async Task<Ok<List<CategoryDto>>> CategoriesAsync(ProductsDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Categories
            .OrderBy(c => c.Id)
            .Select(c => new CategoryDto(c.Id, c.Slug, c.Name, c.EnglishName, db.Products.Count(p => p.CategoryId == c.Id)))
            .ToListAsync(cancellationToken));

    public static async Task<Ok<List<BrandDto>>> BrandsAsync(ProductsDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Brands
            .OrderBy(b => b.Slug)
            .Select(b => new BrandDto(b.Id, b.Slug, b.Name, db.Products.Count(p => p.BrandId == b.Id)))
            .ToListAsync(cancellationToken));
}
