using Microsoft.EntityFrameworkCore;

namespace TTMall.Messaging.Tests;

/// <summary>A service's database in miniature: one table of effects, and the outbox and inbox.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "messagingdb";

    public DbSet<Effect> Effects => Set<Effect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Effect>().HasIndex(e => e.Run);
        modelBuilder.AddMessaging();
    }
}
