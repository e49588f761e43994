using Microsoft.EntityFrameworkCore;
using TTMall.Data;
using TTMall.Data.Idempotency;
using TTMall.Products.Data;
using TTMall.ServiceDefaults.Security;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Products;

/// <summary>
/// Writes a shopper's review and the product's rating together: one review per shopper and product, the rating's
/// counters changed in the same transaction, and this replica's copy of the product forgotten once it is committed.
/// </summary>
public sealed class ReviewWriter(ProductsDbContext db, ProductDetails details, TimeProvider time)
{
    /// <summary>Shown for a shopper whose access token carries no display name.</summary>
    public const string AnonymousAuthor = "TT 猫用户";

    /// <param name="idempotencyKey">The request's Idempotency-Key, if it had one: a repeat is answered with the review written the first time.</param>
    public async Task<ReviewWriting> WriteAsync(
        int productId, MallUser author, ReviewInput? input, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var rating = input?.Rating ?? 0;
        if (rating is < Review.MinRating or > Review.MaxRating)
        {
            errors.Add("rating", $"rating must be a whole number from {Review.MinRating} to {Review.MaxRating}.");
        }

        var text = errors.Text("text", input?.Text, Review.MaxTextLength, multiLine: true);
        if (errors.Any)
        {
            return new ReviewWriting.Invalid(errors);
        }

        var authorName = string.IsNullOrWhiteSpace(author.DisplayName) ? AnonymousAuthor : author.DisplayName.Trim();
        var review = new ReviewDto(
            0, productId, rating, text,
            authorName.Length <= Review.MaxAuthorNameLength ? authorName : authorName[..Review.MaxAuthorNameLength],
            time.GetUtcNow());
        var request = idempotencyKey is null
            ? null
            : IdempotentRequest.For(author.Id.ToString(), idempotencyKey, $"review product {productId}", input);
        IdempotentWrite<ReviewDto> write;
        try
        {
            write = await db.OnceAsync(request, ct => InsertAsync(review, author.Id, ct), cancellationToken);
        }
        catch (Refused refused)
        {
            return refused.Outcome;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return new ReviewWriting.AlreadyReviewed();
        }
        catch (DbUpdateException e) when (e.IsForeignKeyViolation())
        {
            // The product was deleted since it was found.
            return new ReviewWriting.NoProduct();
        }

        switch (write)
        {
            case IdempotentWrite<ReviewDto>.Done done:
                details.Forget(productId);
                return new ReviewWriting.Written(done.Result);
            default:
                return new ReviewWriting.KeyReused();
        }
    }

    /// <summary>
    /// Adds the review and counts it in the product's rating. The increments are done by the database
    /// (rating_total = rating_total + r), so reviews written at once on two replicas are all counted.
    /// </summary>
    private async Task<ReviewDto> InsertAsync(ReviewDto review, Guid userId, CancellationToken cancellationToken)
    {
        if (!await db.Products.AnyAsync(p => p.Id == review.ProductId, cancellationToken))
        {
            throw new Refused(new ReviewWriting.NoProduct());
        }

        // The common case of a second review, answered without a failed insert in the log; the unique index still
        // decides when the same shopper posts twice at the same moment.
        if (await db.Reviews.AnyAsync(r => r.ProductId == review.ProductId && r.UserId == userId, cancellationToken))
        {
            throw new Refused(new ReviewWriting.AlreadyReviewed());
        }

        var row = new Review
        {
            ProductId = review.ProductId,
            UserId = userId,
            AuthorName = review.AuthorName,
            Rating = (short)review.Rating,
            Text = review.Text,
            CreatedAt = review.CreatedAt,
        };
        db.Reviews.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        var rating = review.Rating;
        await db.Products.Where(p => p.Id == review.ProductId).ExecuteUpdateAsync(
            product => product
                .SetProperty(p => p.RatingTotal, p => p.RatingTotal + rating)
                .SetProperty(p => p.ReviewCount, p => p.ReviewCount + 1)
                .SetProperty(p => p.RatingAverage, p => Math.Round((decimal)(p.RatingTotal + rating) / (p.ReviewCount + 1), 2)),
            cancellationToken);
        return review with { Id = row.Id };
    }

    /// <summary>A refusal found inside the transaction: thrown so that it rolls back, key included.</summary>
    private sealed class Refused(ReviewWriting outcome) : Exception
    {
        public ReviewWriting Outcome { get; } = outcome;
    }
}
