namespace TTMall.Products;

/// <param name="Rating">1 to 5 stars.</param>
/// <param name="Text">What the shopper says, 1 to 2,000 characters.</param>
public sealed record ReviewInput(int? Rating, string? Text);
