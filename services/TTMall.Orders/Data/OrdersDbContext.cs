using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TTMall.Data.Idempotency;
using TTMall.Messaging;

namespace TTMall.Orders.Data;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "ordersdb";

    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders", table => table.HasCheckConstraint("CK_orders_total", "\"Total\" >= 0"));
            order.Property(o => o.Id).ValueGeneratedNever();
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
            order.Property(o => o.Total).HasPrecision(12, 2);
            order.Property(o => o.CancelReason).HasMaxLength(Order.MaxReasonLength);
            order.Property(o => o.PaymentFailure).HasMaxLength(Order.MaxReasonLength);
            order.OwnsOne(o => o.Address, address =>
            {
                address.Property(a => a.AddressId).HasColumnName("AddressId");
                address.Property(a => a.Recipient).HasColumnName("Recipient").HasMaxLength(ShippingAddress.MaxRecipientLength);
                address.Property(a => a.Phone).HasColumnName("Phone").HasMaxLength(ShippingAddress.MaxPhoneLength);
                address.Property(a => a.Province).HasColumnName("Province").HasMaxLength(ShippingAddress.MaxRegionLength);
                address.Property(a => a.City).HasColumnName("City").HasMaxLength(ShippingAddress.MaxRegionLength);
                address.Property(a => a.District).HasColumnName("District").HasMaxLength(ShippingAddress.MaxRegionLength);
                address.Property(a => a.Line).HasColumnName("Line").HasMaxLength(ShippingAddress.MaxLineLength);
                address.Property(a => a.PostalCode).HasColumnName("PostalCode").HasMaxLength(ShippingAddress.MaxPostalCodeLength);
            });
            order.Navigation(o => o.Address).IsRequired();
            order.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
            // A shopper's orders, newest first (GET /api/orders).
            order.HasIndex(o => new { o.UserId, o.CreatedAt, o.Id }).IsDescending(false, true, true);
            // The deadline scan reads only orders waiting for payment, a small part of all orders.
            order.HasIndex(o => o.PaymentDeadline).HasFilter("\"Status\" = 'AwaitingPayment'");
        });

        modelBuilder.Entity<OrderItem>(item =>
        {
            item.ToTable("order_items", table =>
            {
                table.HasCheckConstraint("CK_order_items_quantity", "\"Quantity\" > 0");
                table.HasCheckConstraint("CK_order_items_unit_price", "\"UnitPrice\" >= 0");
            });
            item.HasKey(i => new { i.OrderId, i.LineNumber });
            item.Property(i => i.Name).HasMaxLength(OrderItem.MaxNameLength);
            item.Property(i => i.UnitPrice).HasPrecision(12, 2);
        });

        modelBuilder.AddIdempotencyKeys();
        modelBuilder.AddMessaging();
    }
}

/// <summary>For `dotnet ef migrations add`: builds the model without a server.</summary>
public sealed class OrdersDbContextDesignTimeFactory : IDesignTimeDbContextFactory<OrdersDbContext>
{
    public OrdersDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<OrdersDbContext>().UseNpgsql("Host=localhost;Database=ordersdb").Options);
}
