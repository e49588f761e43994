using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TTMall.Messaging.Tests;

/// <summary>What the outbox and inbox keep: sent rows for an hour, handled message ids for a week, unsent rows until they are sent.</summary>
[Collection(MessagingCollection.Name)]
public sealed class RetentionTests(MessagingFixture fixture)
{
    [Fact]
    public async Task The_relay_deletes_sent_rows_and_inbox_entries_past_their_retention_and_nothing_else()
    {
        var database = await fixture.NewDatabaseAsync();
        await using var host = await fixture.StartHostAsync(database, OutboxTests.Service(), _ => { });
        var now = DateTimeOffset.UtcNow;
        await using var db = MessagingFixture.Database(database);
        OutboxMessage Row(string name, DateTimeOffset? sentAt) => new()
        {
            Id = Guid.NewGuid(), Type = "Unknown.Type, Unknown", Body = "{}", CreatedAt = now.AddDays(-30), TraceParent = name, SentAt = sentAt,
        };
        // Unsent rows of an unknown type: the relay leaves them, as it must leave any unsent row, however old.
        db.Set<OutboxMessage>().AddRange(
            Row("sent long ago", now - OutboxRelay<TestDbContext>.SentRetention - TimeSpan.FromMinutes(1)),
            Row("sent lately", now - TimeSpan.FromMinutes(5)),
            Row("never sent", null));
        db.Set<InboxMessage>().AddRange(
            new InboxMessage { Consumer = "old", MessageId = Guid.NewGuid(), ProcessedAt = now - OutboxRelay<TestDbContext>.InboxRetention - TimeSpan.FromHours(1) },
            new InboxMessage { Consumer = "recent", MessageId = Guid.NewGuid(), ProcessedAt = now - TimeSpan.FromDays(1) });
        await db.SaveChangesAsync();

        var relay = host.Services.GetServices<IHostedService>().OfType<OutboxRelay<TestDbContext>>().Single();
        await relay.PurgeAsync(CancellationToken.None);

        Assert.Equal(["never sent", "sent lately"], (await db.Set<OutboxMessage>().AsNoTracking().Select(m => m.TraceParent!).ToListAsync()).Order());
        Assert.Equal(["recent"], await db.Set<InboxMessage>().AsNoTracking().Select(m => m.Consumer).ToListAsync());
    }
}
