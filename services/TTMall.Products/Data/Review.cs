namespace TTMall.Products.Data;

public sealed class Review
{
    public const int MinRating = 1;
    public const int MaxRating = 5;
    public const int MaxTextLength = 2000;
    public const int MaxAuthorNameLength = 100;

    public int Id { get; set; }
    public int ProductId { get; set; }

    /// <summary>The author's user id from their access token; one review per user per product.</summary>
    public Guid UserId { get; set; }

    /// <summary>The display name at the time of writing: reviews are shown without asking the users service.</summary>
    public required string AuthorName { get; set; }

    public short Rating { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
