namespace TTMall.Products;

public sealed record ReviewDto(int Id, int ProductId, int Rating, string Text, string AuthorName, DateTimeOffset CreatedAt);
