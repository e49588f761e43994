namespace TTMall.Products;

public sealed record ProductPage(int Page, int PageSize, int Total, IReadOnlyList<ProductSummary> Items);
