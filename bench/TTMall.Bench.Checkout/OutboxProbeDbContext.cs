using Microsoft.EntityFrameworkCore;
using TTMall.Messaging;

namespace TTMall.Bench.Checkout;

/// <summary>A service's database as far as messaging goes: the outbox and the inbox, nothing else.</summary>
public sealed class OutboxProbeDbContext(DbContextOptions<OutboxProbeDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "outboxbenchdb";

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddMessaging();
}
