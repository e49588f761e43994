using Microsoft.EntityFrameworkCore;

namespace TTMall.Products.Data;

/// <summary>
/// The catalog a new mall starts with (<see cref="SeedCatalog"/>). Runs on every start under the migration lock, so
/// replicas starting together take turns; it adds only what is missing, matched on slugs and SKUs, and never
/// overwrites what the shop has changed since (stock, reviews).
/// </summary>
public static class ProductsSeed
{
    /// <summary>Seeded products are dated from here, a day apart, so "newest" has a fixed order.</summary>
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 8, 0, 0, TimeSpan.Zero);

    public static async Task SeedAsync(ProductsDbContext db, CancellationToken cancellationToken)
    {
        var categories = await AddMissingAsync(
            db, db.Categories, c => c.Slug, c => c.Id, SeedCatalog.Categories.Select(c => new Category { Slug = c.Slug, Name = c.Name, EnglishName = c.EnglishName }),
            cancellationToken);
        var brands = await AddMissingAsync(
            db, db.Brands, b => b.Slug, b => b.Id, SeedCatalog.Brands.Select(b => new Brand { Slug = b.Slug, Name = b.Name }),
            cancellationToken);

        var existing = (await db.Products.Select(p => p.Sku).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var missing = SeedCatalog.Products
            .Select((seed, index) => (seed, index))
            .Where(p => !existing.Contains(p.seed.Sku))
            .Select(p => NewProduct(p.seed, p.index, categories[p.seed.Category], brands[p.seed.Brand], SeedReviews(p.seed.Sku)))
            .ToList();
        if (missing.Count > 0)
        {
            // One SaveChanges, one transaction: a start that dies half-way leaves no product without its reviews.
            db.Products.AddRange(missing);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// One product more, beside the seeded catalog and made as its products are: in the first seeded category, of the
    /// house brand, without reviews, dated after every seeded product. For tests of other services (a cart, an order)
    /// that need a product of their own with a price and stock they choose. Returns its id.
    /// </summary>
    public static async Task<int> AddProductAsync(
        ProductsDbContext db, string sku, string name, decimal price, int stock, CancellationToken cancellationToken)
    {
        var seed = new SeedCatalog.SeedProduct(sku, name, name, price, stock, SeedCatalog.Categories[0].Slug, SeedCatalog.Brands[0].Slug, []);
        var categoryId = await db.Categories.Where(c => c.Slug == seed.Category).Select(c => c.Id).SingleAsync(cancellationToken);
        var brandId = await db.Brands.Where(b => b.Slug == seed.Brand).Select(b => b.Id).SingleAsync(cancellationToken);
        var product = NewProduct(seed, SeedCatalog.Products.Length, categoryId, brandId, reviews: []);
        db.Products.Add(product);
        await db.SaveChangesAsync(cancellationToken);
        return product.Id;
    }

    private static async Task<Dictionary<string, int>> AddMissingAsync<T>(
        ProductsDbContext db, DbSet<T> set, Func<T, string> slug, Func<T, int> id, IEnumerable<T> wanted, CancellationToken cancellationToken)
        where T : class
    {
        var existing = (await set.ToListAsync(cancellationToken)).Select(slug).ToHashSet(StringComparer.Ordinal);
        var missing = wanted.Where(w => !existing.Contains(slug(w))).ToList();
        if (missing.Count > 0)
        {
            set.AddRange(missing);
            await db.SaveChangesAsync(cancellationToken);
        }

        return (await set.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(slug, id);
    }

    private static Product NewProduct(
        SeedCatalog.SeedProduct seed, int index, int categoryId, int brandId, IEnumerable<(int Rating, string Text)> reviews)
    {
        var createdAt = Epoch.AddDays(index);
        var written = reviews
            .Select((r, i) => new Review
            {
                UserId = SeedCatalog.Reviewers[i].Id,
                AuthorName = SeedCatalog.Reviewers[i].Name,
                Rating = (short)r.Rating,
                Text = r.Text,
                CreatedAt = createdAt.AddDays(3 * (i + 1)),
            })
            .ToList();
        var total = written.Sum(r => r.Rating);
        return new Product
        {
            Sku = seed.Sku,
            Name = seed.Name,
            Description = seed.Description,
            Price = seed.Price,
            Stock = seed.Stock,
            CategoryId = categoryId,
            BrandId = brandId,
            Specs = [.. seed.Specs.Select(s => new ProductSpec(s.Name, s.Value))],
            CreatedAt = createdAt,
            Reviews = written,
            RatingTotal = total,
            ReviewCount = written.Count,
            RatingAverage = written.Count == 0 ? 0m : Math.Round((decimal)total / written.Count, 2),
        };
    }

    /// <summary>0–5 reviews per product, mostly good ones, the same on every machine (derived from the SKU).</summary>
    private static IEnumerable<(int Rating, string Text)> SeedReviews(string sku)
    {
        if (SeedCatalog.HandWrittenReviews.TryGetValue(sku, out var handWritten))
        {
            return handWritten;
        }

        int[] ratings = [5, 4, 5, 3, 5, 4, 2, 5, 4, 5, 1, 4];
        var hash = StableHash.Of(sku);
        var count = (int)(hash % 6);
        return Enumerable.Range(0, count).Select(i =>
        {
            var rating = ratings[(int)((hash / 7 + (uint)(i * 5)) % (uint)ratings.Length)];
            var texts = SeedCatalog.ReviewTexts[rating];
            return (rating, texts[(int)((hash / 13 + (uint)i) % (uint)texts.Length)]);
        });
    }
}
