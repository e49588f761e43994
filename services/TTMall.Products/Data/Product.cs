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
