using TTMall.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore;

namespace TTMall.Products;

public sealed record ProductSearchCriteria(
    IReadOnlyList<string> Terms, int? CategoryId, int? BrandId, decimal? MinPrice, decimal? MaxPrice, ProductSort Sort, Paging Paging)
{
    public const int MaxQueryLength = 100;

    /// <summary>More words only narrow the result (each must match) and lengthen the query.</summary>
    public const int MaxTerms = 5;

    public const int DefaultPageSize = 20;

    public static readonly IReadOnlyDictionary<string, ProductSort> SortNames =
        new Dictionary<string, ProductSort>(StringComparer.OrdinalIgnoreCase)
        {
            ["relevance"] = ProductSort.Relevance,
            ["price_asc"] = ProductSort.PriceAsc,
            ["price_desc"] = ProductSort.PriceDesc,
            ["rating"] = ProductSort.Rating,
            ["newest"] = ProductSort.Newest,
        };

    public static ProductSearchCriteria? Parse(ProductQuery query, FieldErrors errors)
    {
        var text = errors.Text("q", query.Q, MaxQueryLength, required: false);

        // Chinese is written without spaces, so a "word" here is whatever the shopper separated with spaces
        // (including the ideographic space U+3000); each is matched as a substring and by trigram similarity.
        var terms = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxTerms)
            .ToList();

        var categoryId = errors.Int("categoryId", query.CategoryId, 1, int.MaxValue);
        var brandId = errors.Int("brandId", query.BrandId, 1, int.MaxValue);
        var minPrice = errors.Money("minPrice", query.MinPrice);
        var maxPrice = errors.Money("maxPrice", query.MaxPrice);
        if (minPrice > maxPrice)
        {
            errors.Add("minPrice", "minPrice must not be more than maxPrice.");
        }

        var sort = ProductSort.Relevance;
        if (!string.IsNullOrWhiteSpace(query.Sort) && !SortNames.TryGetValue(query.Sort.Trim(), out sort))
        {
            errors.Add("sort", $"sort must be one of: {string.Join(", ", SortNames.Keys)}.");
        }

        var paging = Paging.Parse(query.Page, query.PageSize, DefaultPageSize, errors);
        return errors.Any ? null : new ProductSearchCriteria(terms, categoryId, brandId, minPrice, maxPrice, sort, paging!);
    }
}
