using TTMall.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using TTMall.Products.Data;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Products;

public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products").WithTags("Products");
        products.MapGet("/", SearchAsync)
            .WithName("SearchProducts")
            .WithSummary("Lists or searches the catalog")
            .WithDescription("Search by words (Chinese or English, misspellings forgiven), filter by category, brand and price, sort, page. Total is the number of matching products.");
        products.MapGet("/{id:int}", GetAsync)
            .WithName("GetProduct")
            .WithSummary("One product with its specs, pictures and rating");
        products.MapPut("/{id:int}/price", SetPriceAsync)
            .RequireAuthorization(MallAuthenticationExtensions.StaffPolicy)
            .WithName("SetProductPrice")
            .WithSummary("Changes a product's price (staff only)")
            .WithDescription("Body {\"price\": 12.34}: more than 0, at most 1,000,000 yuan, two decimals at most. Answers with the product at its new "
                + "price, served so by every replica at once; a change is announced to the other services as ProductPriceChanged. Setting "
                + "the price it already has changes and announces nothing, so the request may be repeated. 401 without a token, 403 for "
                + "anyone but staff.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        products.MapGet("/{id:int}/image.svg", MainImageAsync)
            .WithName("GetProductImage")
            .WithSummary("The product's main picture (SVG drawn by the mall)");
        products.MapGet("/{id:int}/images/{view:int}.svg", ImageAsync)
            .WithName("GetProductImageView")
            .WithSummary($"One of the product's pictures, view 1 to {ProductImages.Views}");
        return app;
    }

    public static async Task<Results<Ok<ProductPage>, ValidationProblem>> SearchAsync(
        [AsParameters] ProductQuery query, ProductSearch search, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        return ProductSearchCriteria.Parse(query, errors) is { } criteria
            ? TypedResults.Ok(await search.SearchAsync(criteria, cancellationToken))
            : TypedResults.ValidationProblem(errors.ToDictionary());
    }

    public static async Task<Results<Ok<ProductDto>, NotFound>> GetAsync(
        int id, ProductsDbContext db, ProductDetails details, CancellationToken cancellationToken) =>
        await details.GetAsync(db, id, cancellationToken) is { } product
            ? TypedResults.Ok(product)
            : TypedResults.NotFound();

    public static async Task<Results<Ok<ProductDto>, ValidationProblem, NotFound>> SetPriceAsync(
        int id, PriceInput? input, PriceSetter prices, CancellationToken cancellationToken) =>
        await prices.SetAsync(id, input, cancellationToken) switch
        {
            PriceSetting.Set set => TypedResults.Ok(set.Product),
            PriceSetting.Invalid invalid => invalid.Errors.ToProblem(),
            _ => TypedResults.NotFound(),
        };

    public static Task<Results<FileContentHttpResult, NotFound>> MainImageAsync(
        int id, ProductsDbContext db, ProductDetails details, HttpContext context, CancellationToken cancellationToken) =>
        ImageAsync(id, 1, db, details, context, cancellationToken);

    /// <remarks>
    /// The picture follows from the name and category only, and its URL carries their version (?v=), so a
    /// day of caching is safe; the ETag lets a client with an older copy ask cheaply (304).
    /// </remarks>
    public static async Task<Results<FileContentHttpResult, NotFound>> ImageAsync(
        int id, int view, ProductsDbContext db, ProductDetails details, HttpContext context, CancellationToken cancellationToken)
    {
        if (view is < 1 or > ProductImages.Views || await details.GetAsync(db, id, cancellationToken) is not { } product)
        {
            return TypedResults.NotFound();
        }

        var svg = ProductImages.Draw(product.Name, product.CategorySlug, product.CategoryName, view);
        context.Response.Headers.CacheControl = "public, max-age=86400";
        // Line art and text only: an SVG opened on its own must not run anything.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var etag = new EntityTagHeaderValue($"\"{ProductImages.Version(product.Name, product.CategorySlug)}-{view}\"");
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(svg), "image/svg+xml", entityTag: etag);
    }
}
