using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TTMall.Data.Idempotency;

namespace TTMall.PaymentProvider.Data;

public sealed class ProviderDbContext(DbContextOptions<ProviderDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "providerdb";

    public DbSet<Charge> Charges => Set<Charge>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<TransientAttempt> TransientAttempts => Set<TransientAttempt>();
    public DbSet<SandboxSettings> Sandbox => Set<SandboxSettings>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Charge>(charge =>
        {
            charge.ToTable("charges", table =>
            {
                table.HasCheckConstraint("CK_charges_amount", "\"Amount\" > 0");
                table.HasCheckConstraint("CK_charges_status", $"\"Status\" IN ('{ChargeStatus.Succeeded}', '{ChargeStatus.Failed}')");
                // The database, not only the code, keeps refunds within the charge (and off failed charges).
                table.HasCheckConstraint("CK_charges_refunded",
                    $"\"Refunded\" >= 0 AND \"Refunded\" <= \"Amount\" AND (\"Status\" = '{ChargeStatus.Succeeded}' OR \"Refunded\" = 0)");
            });
            charge.Property(c => c.Id).HasMaxLength(Charge.IdLength);
            charge.Property(c => c.Amount).HasPrecision(12, 2);
            charge.Property(c => c.Refunded).HasPrecision(12, 2);
            charge.Property(c => c.Currency).HasMaxLength(3);
            charge.Property(c => c.Status).HasMaxLength(16);
            charge.Property(c => c.FailureCode).HasMaxLength(40);
            charge.Property(c => c.Brand).HasMaxLength(20);
            charge.Property(c => c.Last4).HasMaxLength(4);
            charge.Property(c => c.Reference).HasMaxLength(Charge.MaxReferenceLength);
            charge.HasIndex(c => new { c.Reference, c.CreatedAt });
        });

        modelBuilder.Entity<Refund>(refund =>
        {
            refund.ToTable("refunds", table => table.HasCheckConstraint("CK_refunds_amount", "\"Amount\" > 0"));
            refund.Property(r => r.Id).HasMaxLength(Charge.IdLength);
            refund.Property(r => r.ChargeId).HasMaxLength(Charge.IdLength);
            refund.Property(r => r.Amount).HasPrecision(12, 2);
            refund.HasOne<Charge>().WithMany().HasForeignKey(r => r.ChargeId).OnDelete(DeleteBehavior.Restrict);
            refund.HasIndex(r => r.ChargeId);
        });

        modelBuilder.Entity<TransientAttempt>(attempt =>
        {
            attempt.ToTable("transient_attempts");
            attempt.HasKey(a => new { a.Owner, a.Key });
            attempt.Property(a => a.Owner).HasMaxLength(StoredIdempotencyKey.MaxOwnerLength);
            attempt.Property(a => a.Key).HasMaxLength(IdempotencyKeys.MaxKeyLength);
            attempt.HasIndex(a => a.CreatedAt);
        });

        modelBuilder.Entity<SandboxSettings>(settings =>
        {
            settings.ToTable("sandbox_settings", table =>
            {
                table.HasCheckConstraint("CK_sandbox_settings_one_row", $"\"Id\" = {SandboxSettings.TheRow}");
                table.HasCheckConstraint("CK_sandbox_settings_latency",
                    $"\"LatencyMilliseconds\" BETWEEN 0 AND {SandboxLatency.MaxMilliseconds}");
            });
            settings.Property(s => s.Id).ValueGeneratedNever();
            settings.HasData(new SandboxSettings { Id = SandboxSettings.TheRow, LatencyMilliseconds = 0 });
        });

        modelBuilder.AddIdempotencyKeys();
    }
}

/// <summary>For `dotnet ef migrations add`: builds the model without a server.</summary>
public sealed class ProviderDbContextDesignTimeFactory : IDesignTimeDbContextFactory<ProviderDbContext>
{
    public ProviderDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ProviderDbContext>().UseNpgsql("Host=localhost;Database=providerdb").Options);
}
