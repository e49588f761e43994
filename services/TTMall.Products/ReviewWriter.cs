using Microsoft.EntityFrameworkCore;
using TTMall.Data;
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

    public async Task<ReviewWriting> WriteAsync(int productId, MallUser author, ReviewInput? input, CancellationToken cancellationToken)
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

        if (!await db.Products.AnyAsync(p => p.Id == productId, cancellationToken))
        {
            return new ReviewWriting.NoProduct();
        }

        // The common case of a second review, answered without a failed insert in the log; the unique index
        // below still decides when the same shopper posts twice at the same moment.
        if (await db.Reviews.AnyAsync(r => r.ProductId == productId && r.UserId == author.Id, cancellationToken))
        {
            return new ReviewWriting.AlreadyReviewed();
        }

        var authorName = string.IsNullOrWhiteSpace(author.DisplayName) ? AnonymousAuthor : author.DisplayName.Trim();
        var createdAt = time.GetUtcNow();
        Review written;
        try
        {
            // The increments are done by the database (rating_total = rating_total + r), so reviews written at once
            // on two replicas are all counted.
            written = await db.InTransactionAsync(async ct =>
            {
                var review = new Review
                {
                    ProductId = productId,
                    UserId = author.Id,
                    AuthorName = authorName.Length <= Review.MaxAuthorNameLength ? authorName : authorName[..Review.MaxAuthorNameLength],
                    Rating = (short)rating,
                    Text = text,
                    CreatedAt = createdAt,
                };
                db.Reviews.Add(review);
                await db.SaveChangesAsync(ct);
                await db.Products.Where(p => p.Id == productId).ExecuteUpdateAsync(
                    product => product
                        .SetProperty(p => p.RatingTotal, p => p.RatingTotal + rating)
                        .SetProperty(p => p.ReviewCount, p => p.ReviewCount + 1)
                        .SetProperty(p => p.RatingAverage, p => Math.Round((decimal)(p.RatingTotal + rating) / (p.ReviewCount + 1), 2)),
                    ct);
                return review;
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return new ReviewWriting.AlreadyReviewed();
        }
        catch (DbUpdateException e) when (e.IsForeignKeyViolation())
        {
            // The product was deleted since it was found above.
            return new ReviewWriting.NoProduct();
        }

        details.Forget(productId);
        return new ReviewWriting.Written(new ReviewDto(written.Id, productId, written.Rating, written.Text, written.AuthorName, written.CreatedAt));
    }
}
