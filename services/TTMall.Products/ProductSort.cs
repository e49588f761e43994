namespace TTMall.Products;

public enum ProductSort
{
    Relevance,
    PriceAsc,
    PriceDesc,
    Rating,
    Newest,
}
