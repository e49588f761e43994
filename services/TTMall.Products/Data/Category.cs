namespace TTMall.Products.Data;

public sealed class Category
{
    public int Id { get; set; }

    /// <summary>Stable English key, e.g. "keyboards"; the seed data is matched on it.</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }
    public required string EnglishName { get; set; }
}
