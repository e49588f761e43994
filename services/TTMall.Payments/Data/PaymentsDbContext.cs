using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TTMall.Messaging;

namespace TTMall.Payments.Data;

public sealed class PaymentsDbContext(DbContextOptions<PaymentsDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "paymentsdb";

    public DbSet<Payment> Payments => Set<Payment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Payment>(payment =>
        {
            payment.ToTable("payments", table =>
                table.HasCheckConstraint("CK_payments_amount", "\"Amount\" > 0"));
            payment.Property(p => p.Amount).HasPrecision(12, 2);
            payment.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
            payment.Property(p => p.IdempotencyKey).HasMaxLength(Payment.MaxIdempotencyKeyLength);
            payment.Property(p => p.RequestFingerprint).HasMaxLength(64);
            payment.Property(p => p.CardLast4).HasMaxLength(4);
            payment.Property(p => p.ProviderChargeId).HasMaxLength(100);
            payment.Property(p => p.ProviderRefundId).HasMaxLength(100);
            payment.Property(p => p.FailureReason).HasMaxLength(Payment.MaxReasonLength);
            payment.HasIndex(p => new { p.UserId, p.IdempotencyKey }).IsUnique();
            // At most one payment per order that may have taken (or is taking) the shopper's money.
            payment.HasIndex(p => p.OrderId, "IX_payments_one_charge_per_order").IsUnique()
                .HasFilter("\"Status\" IN ('Pending', 'Succeeded', 'Refunded')");
            payment.HasIndex(p => p.OrderId);
            payment.HasIndex(p => p.Status).HasFilter("\"Status\" = 'Pending'");
        });

        modelBuilder.AddMessaging();
    }
}

/// <summary>For `dotnet ef migrations add`: builds the model without a server.</summary>
public sealed class PaymentsDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PaymentsDbContext>
{
    public PaymentsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PaymentsDbContext>().UseNpgsql("Host=localhost;Database=paymentsdb").Options);
}
