namespace TTMall.Products.Data;

public sealed class Product
{
    public int Id { get; set; }

    /// <summary>The merchant's own code; the seed data is matched on it, so it never changes once given.</summary>
    public required string Sku { get; set; }

    public required string Name { get; set; }
    public required string Description { get; set; }

    /// <summary>Money in CNY (¥), exact to the fen.</summary>
    public decimal Price { get; set; }

    public int Stock { get; set; }

    public int CategoryId { get; set; }
    public Category Category { get; set; } = null!;

    public int BrandId { get; set; }
    public Brand Brand { get; set; } = null!;

    /// <summary>Shown in the order given, so a list rather than a dictionary.</summary>
    public List<ProductSpec> Specs { get; set; } = [];

    /// <summary>
    /// The sum and count of every review's rating, kept by the same statement that adds a review, so the average
    /// never drifts from the reviews; <see cref="RatingAverage"/> is stored too because the catalog sorts by it.
    /// </summary>
    public int RatingTotal { get; set; }
    public int ReviewCount { get; set; }
    public decimal RatingAverage { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<Review> Reviews { get; set; } = [];
}

/// <summary>One line of a product's specification table, e.g. 轴体 Switch: Cherry MX 红轴.</summary>
public sealed record ProductSpec(string Name, string Value);

public sealed class Category
{
    public int Id { get; set; }

    /// <summary>Stable English key, e.g. "keyboards"; the seed data is matched on it.</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }
    public required string EnglishName { get; set; }
}

public sealed class Brand
{
    public int Id { get; set; }

    /// <summary>Stable English key, e.g. "cherry"; the seed data is matched on it.</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }
}

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
