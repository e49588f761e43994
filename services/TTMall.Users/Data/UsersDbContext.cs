using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TTMall.Users.Data;

public sealed class UsersDbContext(DbContextOptions<UsersDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "usersdb";

    public DbSet<User> Users => Set<User>();
    public DbSet<Address> Addresses => Set<Address>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<RateLimitCounter> RateLimits => Set<RateLimitCounter>();
    public DbSet<OutgoingMail> MailOutbox => Set<OutgoingMail>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.Property(u => u.Email).HasMaxLength(UserRules.EmailMaxLength);
            user.Property(u => u.NormalizedEmail).HasMaxLength(UserRules.EmailMaxLength);
            user.HasIndex(u => u.NormalizedEmail).IsUnique();
            user.Property(u => u.DisplayName).HasMaxLength(UserRules.DisplayNameMaxLength);
            user.Property(u => u.Phone).HasMaxLength(UserRules.PhoneMaxLength);
            user.Property(u => u.PasswordHash).HasMaxLength(200);
            user.Property(u => u.ConfirmationCodeHash).HasMaxLength(32);
        });

        modelBuilder.Entity<Address>(address =>
        {
            address.ToTable("addresses");
            address.Property(a => a.Recipient).HasMaxLength(AddressRules.RecipientMaxLength);
            address.Property(a => a.Phone).HasMaxLength(UserRules.PhoneMaxLength);
            address.Property(a => a.Province).HasMaxLength(AddressRules.RegionMaxLength);
            address.Property(a => a.City).HasMaxLength(AddressRules.RegionMaxLength);
            address.Property(a => a.District).HasMaxLength(AddressRules.RegionMaxLength);
            address.Property(a => a.Line).HasMaxLength(AddressRules.LineMaxLength);
            address.Property(a => a.PostalCode).HasMaxLength(6);
            address.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
            address.HasIndex(a => a.UserId);
            address.HasIndex(a => a.UserId, "IX_addresses_one_default_per_user").IsUnique().HasFilter("\"IsDefault\"");
        });

        modelBuilder.Entity<RefreshToken>(token =>
        {
            token.ToTable("refresh_tokens");
            token.Property(t => t.TokenHash).HasMaxLength(32);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => t.FamilyId);
            token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<OutgoingMail>(mail =>
        {
            mail.ToTable("mail_outbox");
            mail.Property(m => m.To).HasMaxLength(UserRules.EmailMaxLength);
            mail.Property(m => m.Subject).HasMaxLength(200);
            mail.Property(m => m.Body).HasMaxLength(4000);
            mail.HasIndex(m => m.CreatedAt);
        });

        modelBuilder.Entity<RateLimitCounter>(counter =>
        {
            counter.ToTable("rate_limits");
            counter.HasKey(c => c.Key);
            counter.Property(c => c.Key).HasMaxLength(32);
            counter.HasIndex(c => c.WindowStart);
        });
    }
}

/// <summary>For `dotnet ef migrations add`: builds the model without a server.</summary>
public sealed class UsersDbContextDesignTimeFactory : IDesignTimeDbContextFactory<UsersDbContext>
{
    public UsersDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<UsersDbContext>().UseNpgsql("Host=localhost;Database=usersdb").Options);
}
