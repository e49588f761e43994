namespace TTMall.Products.Data;

public sealed class Product
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }

    /// <summary>Money in CNY (¥), exact to the fen.</summary>
    public decimal Price { get; set; }
}
