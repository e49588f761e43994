using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace TTMall.Products;

/// <summary>The query string of GET /api/products, as text: <see cref="ProductSearchCriteria.Parse"/> checks it.</summary>
public sealed class ProductQuery
{
    [FromQuery(Name = "q"), Description("Words to find in names and descriptions, Chinese or English, separated by spaces (at most 100 characters). Every word must match.")]
    public string? Q { get; init; }

    [FromQuery(Name = "categoryId"), Description("Only products of this category (see /api/products/categories).")]
    public string? CategoryId { get; init; }

    [FromQuery(Name = "brandId"), Description("Only products of this brand (see /api/products/brands).")]
    public string? BrandId { get; init; }

    [FromQuery(Name = "minPrice"), Description("Lowest price in yuan, inclusive, e.g. 100 or 99.50.")]
    public string? MinPrice { get; init; }

    [FromQuery(Name = "maxPrice"), Description("Highest price in yuan, inclusive.")]
    public string? MaxPrice { get; init; }

    [FromQuery(Name = "sort"), Description("relevance (default: best match when q is given, otherwise most reviewed), price_asc, price_desc, rating, newest.")]
    public string? Sort { get; init; }

    [FromQuery(Name = "page"), Description("Page number, from 1 (default 1); page × pageSize at most 10,000.")]
    public string? Page { get; init; }

    [FromQuery(Name = "pageSize"), Description("Products per page, 1 to 100 (default 20).")]
    public string? PageSize { get; init; }
}
