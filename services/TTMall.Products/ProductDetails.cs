using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TTMall.Products.Data;

namespace TTMall.Products;

/// <summary>
/// Product detail, the mall's hottest read (every product page, every cart and order price check). Each replica
/// keeps what it read for <see cref="ProductsOptions.ProductDetailsLifetime"/> (2 s); a review, a stock change or a
/// price change made through this replica forgets the product at once, and every other replica forgets a product
/// whose price changed when the ProductPriceChanged event reaches it (<see cref="ProductPriceChangedConsumer"/>).
/// Another replica may show the old rating or stock for up to the lifetime, which a shop can live with; no replica
/// ever keeps it longer.
/// </summary>
public sealed class ProductDetails(IMemoryCache cache, IOptions<ProductsOptions> options)
{
    private TimeSpan Lifetime => options.Value.ProductDetailsLifetime;

    // Bumped by Forget. A read that started before a write must not put what it read back into the cache after
    // the write forgot it; it compares the generation from before its query with the one after. Striped, not per
    // id: two products sharing a stripe only cost each other a cache miss.
    private readonly long[] _generations = new long[1024];

    private static readonly Func<ProductsDbContext, int, CancellationToken, Task<DetailRow?>> Query = EF.CompileAsyncQuery(
        (ProductsDbContext db, int id, CancellationToken cancellationToken) => db.Products
            .Where(p => p.Id == id)
            .Select(p => new DetailRow(
                p.Id, p.Name, p.Description, p.Price, p.Stock, p.CategoryId, p.Category.Slug, p.Category.Name, p.BrandId, p.Brand.Name,
                p.Specs, p.RatingAverage, p.ReviewCount, p.CreatedAt))
            .FirstOrDefault());

    public async ValueTask<ProductDto?> GetAsync(ProductsDbContext db, int id, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(Key(id), out ProductDto? cached))
        {
            return cached;
        }

        var generation = Volatile.Read(ref Generation(id));
        var product = (await Query(db, id, cancellationToken))?.ToDto();
        if (product is not null)
        {
            cache.Set(Key(id), product, Lifetime);
            if (Volatile.Read(ref Generation(id)) != generation)
            {
                cache.Remove(Key(id));
            }
        }

        return product;
    }

    /// <summary>Call after a change to the product has been committed, or when told of one made elsewhere.</summary>
    public void Forget(int id)
    {
        Interlocked.Increment(ref Generation(id));
        cache.Remove(Key(id));
    }

    private ref long Generation(int id) => ref _generations[(uint)id % (uint)_generations.Length];

    private static (string, int) Key(int id) => ("product", id);

    private sealed record DetailRow(
        int Id, string Name, string Description, decimal Price, int Stock, int CategoryId, string CategorySlug, string CategoryName,
        int BrandId, string BrandName, List<ProductSpec> Specs, decimal RatingAverage, int ReviewCount, DateTimeOffset CreatedAt)
    {
        public ProductDto ToDto() => new(
            Id, Name, Description, Price, Stock, ProductImages.Url(Id, Name, CategorySlug), ProductImages.Urls(Id, Name, CategorySlug),
            CategoryId, CategorySlug, CategoryName, BrandId, BrandName, Specs, RatingAverage, ReviewCount, CreatedAt);
    }
}
