using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Design;
using TTMall.Data.Idempotency;
using TTMall.Messaging;

namespace TTMall.Products.Data;

public sealed class ProductsDbContext(DbContextOptions<ProductsDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "productsdb";

    public DbSet<Product> Products => Set<Product>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Brand> Brands => Set<Brand>();
    public DbSet<Review> Reviews => Set<Review>();
    public DbSet<OrderStock> OrderStock => Set<OrderStock>();

    // Readable Chinese in the jsonb columns, as in the API.
    private static readonly JsonSerializerOptions JsonColumns = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Trigram search over names and descriptions (see ProductSearch); pg_trgm is a trusted extension, so the
        // database owner may create it.
        modelBuilder.HasPostgresExtension("pg_trgm");

        modelBuilder.Entity<Category>(category =>
        {
            category.ToTable("categories");
            category.Property(c => c.Slug).HasMaxLength(40);
            category.Property(c => c.Name).HasMaxLength(100);
            category.Property(c => c.EnglishName).HasMaxLength(100);
            category.HasIndex(c => c.Slug).IsUnique();
        });

        modelBuilder.Entity<Brand>(brand =>
        {
            brand.ToTable("brands");
            brand.Property(b => b.Slug).HasMaxLength(40);
            brand.Property(b => b.Name).HasMaxLength(100);
            brand.HasIndex(b => b.Slug).IsUnique();
        });

        modelBuilder.Entity<Product>(product =>
        {
            product.ToTable("products", table =>
            {
                table.HasCheckConstraint("CK_products_price", "\"Price\" >= 0");
                table.HasCheckConstraint("CK_products_stock", "\"Stock\" >= 0");
                table.HasCheckConstraint("CK_products_rating", "\"ReviewCount\" >= 0 AND \"RatingTotal\" BETWEEN \"ReviewCount\" AND 5 * \"ReviewCount\"");
            });
            product.Property(p => p.Sku).HasMaxLength(40);
            product.Property(p => p.Name).HasMaxLength(200);
            product.Property(p => p.Description).HasMaxLength(4000);
            product.Property(p => p.Price).HasPrecision(12, 2);
            product.Property(p => p.RatingAverage).HasPrecision(3, 2);
            product.Property(p => p.Specs)
                .HasColumnType("jsonb")
                .HasConversion(
                    specs => JsonSerializer.Serialize(specs, JsonColumns),
                    json => JsonSerializer.Deserialize<List<ProductSpec>>(json, JsonColumns) ?? new List<ProductSpec>(),
                    new ValueComparer<List<ProductSpec>>(
                        (a, b) => a!.SequenceEqual(b!),
                        specs => specs.Aggregate(0, (hash, spec) => HashCode.Combine(hash, spec.GetHashCode())),
                        specs => specs.ToList()));
            product.HasIndex(p => p.Sku).IsUnique();
            product.HasIndex(p => p.CategoryId);
            product.HasIndex(p => p.BrandId);
            product.HasIndex(p => p.Price);
            product.HasIndex(p => p.CreatedAt);
            product.HasIndex(p => p.Name, "IX_products_Name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            product.HasIndex(p => p.Description, "IX_products_Description_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            product.HasOne(p => p.Category).WithMany().OnDelete(DeleteBehavior.Restrict);
            product.HasOne(p => p.Brand).WithMany().OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Review>(review =>
        {
            review.ToTable("reviews", table =>
                table.HasCheckConstraint("CK_reviews_rating", $"\"Rating\" BETWEEN {Review.MinRating} AND {Review.MaxRating}"));
            review.Property(r => r.AuthorName).HasMaxLength(Review.MaxAuthorNameLength);
            review.Property(r => r.Text).HasMaxLength(Review.MaxTextLength);
            review.HasOne<Product>().WithMany(p => p.Reviews).HasForeignKey(r => r.ProductId).OnDelete(DeleteBehavior.Cascade);
            // The database, not a check before the insert, is what keeps it to one review per user per product
            // when the same user posts twice at once.
            review.HasIndex(r => new { r.ProductId, r.UserId }).IsUnique();
            review.HasIndex(r => new { r.ProductId, r.CreatedAt, r.Id }).IsDescending(false, true, true);
        });

        modelBuilder.Entity<OrderStock>(stock =>
        {
            stock.ToTable("order_stock");
            stock.HasKey(s => s.OrderId);
            stock.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
            stock.Property(s => s.Held)
                .HasColumnType("jsonb")
                .HasConversion(
                    held => JsonSerializer.Serialize(held, JsonColumns),
                    json => JsonSerializer.Deserialize<List<HeldStock>>(json, JsonColumns) ?? new List<HeldStock>(),
                    new ValueComparer<List<HeldStock>>(
                        (a, b) => a!.SequenceEqual(b!),
                        held => held.Aggregate(0, (hash, h) => HashCode.Combine(hash, h.GetHashCode())),
                        held => held.ToList()));
        });

        modelBuilder.AddIdempotencyKeys();
        modelBuilder.AddMessaging();
    }
}

/// <summary>For `dotnet ef migrations add`: builds the model without a server.</summary>
public sealed class ProductsDbContextDesignTimeFactory : IDesignTimeDbContextFactory<ProductsDbContext>
{
    public ProductsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ProductsDbContext>().UseNpgsql("Host=localhost;Database=productsdb").Options);
}
