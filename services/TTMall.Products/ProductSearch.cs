using System.Text;
using Microsoft.EntityFrameworkCore;
using TTMall.Products.Data;

namespace TTMall.Products;

/// <summary>
/// Catalog search on Postgres pg_trgm. A product matches a word when its name or description contains it
/// (ILIKE, which finds one or two Chinese characters that trigrams alone would miss) or, for a word in Latin
/// letters, is similar to it by word_similarity (which forgives misspellings such as "keybord"); both are
/// answered from the GIN trigram indexes. Relevance puts a word found in the name far above one found only in the
/// description, then prefers names closest to the words (word_similarity and similarity).
/// </summary>
public sealed class ProductSearch(ProductsDbContext db)
{
    public async Task<ProductPage> SearchAsync(ProductSearchCriteria criteria, CancellationToken cancellationToken)
    {
        var products = criteria.Terms.Count == 0
            ? db.Products.Select(p => new ScoredProduct { Product = p, Score = 0 })
            : db.Products.Join(Matching(criteria.Terms), p => p.Id, hit => hit.ProductId, (p, hit) => new ScoredProduct { Product = p, Score = hit.Score });

        if (criteria.CategoryId is { } categoryId)
        {
            products = products.Where(s => s.Product.CategoryId == categoryId);
        }

        if (criteria.BrandId is { } brandId)
        {
            products = products.Where(s => s.Product.BrandId == brandId);
        }

        if (criteria.MinPrice is { } minPrice)
        {
            products = products.Where(s => s.Product.Price >= minPrice);
        }

        if (criteria.MaxPrice is { } maxPrice)
        {
            products = products.Where(s => s.Product.Price <= maxPrice);
        }

        var paging = criteria.Paging;
        var rows = await Ordered(products, criteria.Sort, criteria.Terms.Count > 0)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(s => new SummaryRow(
                s.Product.Id, s.Product.Name, s.Product.Description, s.Product.Price, s.Product.Stock,
                s.Product.CategoryId, s.Product.Category.Slug, s.Product.Category.Name, s.Product.BrandId, s.Product.Brand.Name,
                s.Product.RatingAverage, s.Product.ReviewCount, s.Product.CreatedAt))
            .ToListAsync(cancellationToken);

        // A page that is not full is the last one, so it tells the total (unless it is empty because it is past
        // the end); counting is needed only otherwise. Most searches fit on one page, and each round trip to
        // Postgres is a good part of a search's time.
        var isLastPage = rows.Count < paging.PageSize && (rows.Count > 0 || paging.Skip == 0);
        var total = isLastPage ? paging.Skip + rows.Count : await products.CountAsync(cancellationToken);
        return new ProductPage(paging.Page, paging.PageSize, total, [.. rows.Select(r => r.ToSummary())]);
    }

    /// <summary>Ties are broken by id, so paging through a result never shows a product twice or skips one.</summary>
    private static IQueryable<ScoredProduct> Ordered(IQueryable<ScoredProduct> products, ProductSort sort, bool hasTerms) => sort switch
    {
        ProductSort.Relevance when hasTerms => products
            .OrderByDescending(s => s.Score).ThenByDescending(s => s.Product.ReviewCount).ThenBy(s => s.Product.Id),
        // Without words there is nothing to be relevant to: the most reviewed (most bought) come first.
        ProductSort.Relevance => products
            .OrderByDescending(s => s.Product.ReviewCount).ThenByDescending(s => s.Product.RatingAverage).ThenBy(s => s.Product.Id),
        ProductSort.PriceAsc => products.OrderBy(s => s.Product.Price).ThenBy(s => s.Product.Id),
        ProductSort.PriceDesc => products.OrderByDescending(s => s.Product.Price).ThenBy(s => s.Product.Id),
        ProductSort.Rating => products
            .OrderByDescending(s => s.Product.RatingAverage).ThenByDescending(s => s.Product.ReviewCount).ThenBy(s => s.Product.Id),
        ProductSort.Newest => products.OrderByDescending(s => s.Product.CreatedAt).ThenByDescending(s => s.Product.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, null),
    };

    /// <summary>
    /// The ids of the products matching every word, with a score. Written in SQL because the trigram operator
    /// <c>&lt;%</c> (word similarity above pg_trgm.word_similarity_threshold, 0.6 by default) is what lets the planner
    /// use the GIN indexes, and EF has no translation for it. The words are parameters, never part of the text.
    /// Per word: 10 when the name contains it, 3 when the description does, plus the trigram similarities
    /// (each below 1), so any name match outranks every description-only match.
    /// </summary>
    private IQueryable<SearchHit> Matching(IReadOnlyList<string> terms)
    {
        var arguments = new List<object>();
        string Parameter(object value)
        {
            arguments.Add(value);
            return $"{{{arguments.Count - 1}}}";
        }

        var where = new List<string>();
        var score = new List<string>();
        foreach (var term in terms)
        {
            var word = Parameter(term);
            var like = Parameter(ContainsPattern(term));
            var contains = $"""CASE WHEN p."Name" ILIKE {like} THEN 10 ELSE 0 END + CASE WHEN p."Description" ILIKE {like} THEN 3 ELSE 0 END""";
            var closeness = $"""2 * word_similarity({word}, p."Name") + similarity({word}, p."Name")""";
            if (IsFuzzy(term))
            {
                where.Add($"""(p."Name" ILIKE {like} OR p."Description" ILIKE {like} OR {word} <% p."Name" OR {word} <% p."Description")""");
                score.Add($"""{contains} + {closeness} + 0.5 * word_similarity({word}, p."Description")""");
            }
            else
            {
                where.Add($"""(p."Name" ILIKE {like} OR p."Description" ILIKE {like})""");
                score.Add($"""{contains} + {closeness}""");
            }
        }

        if (terms.Count > 1)
        {
            // The words in the name in the order typed ("无线 键盘" in 无线机械键盘) beat the same words in another order.
            var inOrder = "%" + string.Join("%", terms.Select(EscapeLike)) + "%";
            score.Add($"""CASE WHEN p."Name" ILIKE {Parameter(inOrder)} THEN 5 ELSE 0 END""");
        }

        var sql = new StringBuilder()
            .Append("SELECT p.\"Id\" AS \"ProductId\", (")
            .AppendJoin(" + ", score)
            .Append(")::double precision AS \"Score\" FROM products AS p WHERE ")
            .AppendJoin(" AND ", where)
            .ToString();
        return db.Database.SqlQueryRaw<SearchHit>(sql, [.. arguments]);
    }

    /// <summary>
    /// Whether a word is also matched by trigram similarity. That forgives misspelled Latin words ("keybord");
    /// a Chinese word is one to four characters whose trigrams tell nothing that containment does not (a wrong
    /// character, the usual Chinese typo, shares too few of them), and computing word_similarity over every
    /// description is most of a search's cost, so Chinese words are matched by containment only.
    /// </summary>
    private static bool IsFuzzy(string term) => term.Any(char.IsAsciiLetter);

    /// <summary>%word% for ILIKE.</summary>
    public static string ContainsPattern(string term) => "%" + EscapeLike(term) + "%";

    /// <summary>The word's own %, _ and \ matched literally (backslash is ILIKE's default escape).</summary>
    private static string EscapeLike(string term) => term.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private sealed class ScoredProduct
    {
        public required Product Product { get; init; }
        public double Score { get; init; }
    }

    private sealed record SummaryRow(
        int Id, string Name, string Description, decimal Price, int Stock, int CategoryId, string CategorySlug, string CategoryName,
        int BrandId, string BrandName, decimal RatingAverage, int ReviewCount, DateTimeOffset CreatedAt)
    {
        public ProductSummary ToSummary() => new(
            Id, Name, Description, Price, Stock, ProductImages.Url(Id, Name, CategorySlug),
            CategoryId, CategoryName, BrandId, BrandName, RatingAverage, ReviewCount, CreatedAt);
    }
}

/// <summary>One row of <see cref="ProductSearch"/>'s SQL; the column names are these property names.</summary>
public sealed class SearchHit
{
    public int ProductId { get; init; }
    public double Score { get; init; }
}
