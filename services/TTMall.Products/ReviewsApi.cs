using TTMall.ServiceDefaults.Validation;
using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TTMall.Data.Idempotency;
using TTMall.Products.Data;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Products;

public sealed record ReviewPage(int Page, int PageSize, int Total, IReadOnlyList<ReviewDto> Items);

public static class ReviewsApi
{
    public const int DefaultPageSize = 10;

    /// <summary>
    /// A review's text is up to 2,000 characters, and a client may send each one \u-escaped (six bytes: .NET's JSON
    /// writer does so for Chinese by default), so the longest review is about 12 KB of JSON: above the services' default
    /// bound, and well below this one.
    /// </summary>
    public const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var reviews = app.MapGroup("/api/products/{id:int}/reviews").WithTags("Reviews");
        reviews.MapGet("/", ListAsync)
            .WithName("ListReviews")
            .WithSummary("A product's reviews, newest first");
        reviews.MapPost("/", CreateAsync)
            .RequireAuthorization()
            .WithName("CreateReview")
            .WithSummary("Reviews a product as the signed-in user")
            .WithDescription("One review per user per product: a second one is 409. The product's average rating and review count change with it. "
                + "The text may span lines; a body over 16 KB is 413. With an Idempotency-Key header (1 to 200 visible ASCII characters, "
                + "remembered for 24 hours) a repeated request is answered 201 with the review written the first time, and the same key "
                + "with another review is 422.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Results<Ok<ReviewPage>, NotFound, ValidationProblem>> ListAsync(
        int id, ProductsDbContext db, CancellationToken cancellationToken,
        [Description("Page number, from 1 (default 1); page × pageSize at most 10,000.")] string? page = null,
        [Description("Reviews per page, 1 to 100 (default 10).")] string? pageSize = null)
    {
        var errors = new FieldErrors();
        if (Paging.Parse(page, pageSize, DefaultPageSize, errors) is not { } paging)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!await db.Products.AnyAsync(p => p.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var reviews = db.Reviews.Where(r => r.ProductId == id);
        var total = await reviews.CountAsync(cancellationToken);
        var items = paging.Skip >= total
            ? []
            : await reviews
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
                .Skip(paging.Skip)
                .Take(paging.PageSize)
                .Select(r => new ReviewDto(r.Id, r.ProductId, r.Rating, r.Text, r.AuthorName, r.CreatedAt))
                .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ReviewPage(paging.Page, paging.PageSize, total, items));
    }

    public static async Task<Results<Created<ReviewDto>, ValidationProblem, NotFound, ProblemHttpResult, UnauthorizedHttpResult>> CreateAsync(
        int id, ReviewInput? input, ClaimsPrincipal principal, HttpRequest request, ReviewWriter reviews, CancellationToken cancellationToken)
    {
        if (principal.MallUser() is not { } user)
        {
            return TypedResults.Unauthorized();
        }

        var errors = new FieldErrors();
        var idempotencyKey = IdempotencyKeys.Read(request, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await reviews.WriteAsync(id, user, input, idempotencyKey, cancellationToken) switch
        {
            ReviewWriting.Written written => TypedResults.Created($"/api/products/{id}/reviews", written.Review),
            ReviewWriting.Invalid invalid => invalid.Errors.ToProblem(),
            ReviewWriting.AlreadyReviewed => AlreadyReviewed(),
            ReviewWriting.KeyReused => IdempotencyKeys.ReusedProblem(),
            _ => TypedResults.NotFound(),
        };
    }

    private static ProblemHttpResult AlreadyReviewed() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Already reviewed",
        detail: "You have already reviewed this product; each shopper reviews a product once.");
}
