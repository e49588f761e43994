using Microsoft.EntityFrameworkCore;

namespace TTMall.Products.Data;

/// <summary>The catalog a new mall starts with. Runs on every start under the migration lock; adds only what is missing.</summary>
public static class ProductsSeed
{
    private static readonly Product[] Catalog =
    [
        new() { Name = "Cherry MX 机械键盘", Description = "Cherry MX red switches, 104 keys, PBT keycaps. The keyboard that started TT Mall.", Price = 499.00m },
        new() { Name = "TT 无线鼠标", Description = "Wireless mouse, 2.4 GHz and Bluetooth, 70 days per charge.", Price = 129.00m },
        new() { Name = "27 英寸 4K 显示器", Description = "27-inch IPS 4K monitor, 99% sRGB, USB-C 65 W.", Price = 1899.00m },
    ];

    public static async Task SeedAsync(ProductsDbContext db, CancellationToken cancellationToken)
    {
        var existing = await db.Products.Select(p => p.Name).ToListAsync(cancellationToken);
        var missing = Catalog.Where(p => !existing.Contains(p.Name))
            .Select(p => new Product { Name = p.Name, Description = p.Description, Price = p.Price })
            .ToList();
        if (missing.Count > 0)
        {
            db.Products.AddRange(missing);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
