using Microsoft.EntityFrameworkCore;

namespace TTMall.Messaging;

/// <summary>The outbox and inbox tables, and the channel a write to the outbox is announced on.</summary>
internal static class MessagingTables
{
    public const string Outbox = "outbox_messages";
    public const string Inbox = "inbox_messages";

    /// <summary>NOTIFY/LISTEN channel; notifications stay within one database, so one name serves every service.</summary>
    public const string Channel = "ttmall_outbox";

    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(message =>
        {
            message.ToTable(Outbox);
            message.HasKey(m => m.Id);
            message.Property(m => m.Id).ValueGeneratedNever();
            message.Property(m => m.Position).UseIdentityAlwaysColumn();
            message.Property(m => m.Type).HasMaxLength(OutboxMessage.MaxTypeLength);
            message.Property(m => m.Body).HasColumnType("jsonb");
            message.Property(m => m.TraceParent).HasMaxLength(64);
            // What the relay looks for: only the rows waiting, in order; sent ones fall out of the index.
            message.HasIndex(m => m.Position).HasFilter("\"SentAt\" IS NULL").HasDatabaseName("IX_outbox_messages_unsent");
            message.HasIndex(m => m.SentAt).HasFilter("\"SentAt\" IS NOT NULL");
        });
        modelBuilder.Entity<InboxMessage>(message =>
        {
            message.ToTable(Inbox);
            message.HasKey(m => new { m.Consumer, m.MessageId });
            message.Property(m => m.Consumer).HasMaxLength(InboxMessage.MaxConsumerLength);
            message.HasIndex(m => m.ProcessedAt);
        });
    }
}
