using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Microsoft.EntityFrameworkCore;
using TTMall.Data;

namespace TTMall.Messaging.Tests;

/// <summary>The outbox and its relay: events go out when, and only when, the transaction that wrote them commits, and exactly once.</summary>
[Collection(MessagingCollection.Name)]
public sealed class OutboxTests(MessagingFixture fixture)
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_event_of_a_committed_transaction_is_consumed_and_one_of_a_rolled_back_transaction_never_is()
    {
        var database = await fixture.NewDatabaseAsync();
        await using var host = await fixture.StartHostAsync(database, Service(), x => x.AddConsumer<PingedConsumer>());
        var run = Guid.NewGuid();

        await using (var db = MessagingFixture.Database(database))
        {
            await db.InTransactionAsync(ct =>
            {
                db.Publish(new Pinged(run, 1));
                return db.SaveChangesAsync(ct);
            }, CancellationToken.None);
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.InTransactionAsync(async ct =>
            {
                db.Publish(new Pinged(run, 2));
                await db.SaveChangesAsync(ct);
                throw new InvalidOperationException("changed my mind");
            }, CancellationToken.None));
        }

        await EffectsAsync(database, run, 1);
        // The relay is woken by the commit and polls every second: a rolled-back event would be out by now.
        await Task.Delay(OutboxRelay<TestDbContext>.PollInterval * 2);
        await using var check = MessagingFixture.Database(database);
        Assert.Equal([1], await check.Effects.Where(e => e.Run == run).Select(e => e.Number).ToListAsync());
        var outbox = await check.Set<OutboxMessage>().ToListAsync();
        var sent = Assert.Single(outbox);
        Assert.NotNull(sent.SentAt);
        Assert.Equal(sent.Id, (await check.Effects.SingleAsync(e => e.Run == run)).MessageId);
        Assert.Equal("TTMall.Messaging.Tests.Pinged, TTMall.Messaging.Tests", sent.Type);
    }

    [Fact]
    public async Task A_write_to_the_outbox_wakes_the_relays_when_its_transaction_commits_and_not_before()
    {
        var database = await fixture.NewDatabaseAsync();
        await using var host = await fixture.StartHostAsync(database, Service(), x => x.AddConsumer<PingedConsumer>());
        await using var listener = new NpgsqlConnection(database);
        await listener.OpenAsync();
        var notifications = 0;
        listener.Notification += (_, _) => Interlocked.Increment(ref notifications);
        await using (var listen = new NpgsqlCommand("LISTEN ttmall_outbox", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var run = Guid.NewGuid();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // The service's own context, as an endpoint or a consumer uses it.
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await db.InTransactionAsync(async ct =>
            {
                db.Publish(new Pinged(run, 1));
                await db.SaveChangesAsync(ct);
                Assert.False(await listener.WaitAsync(TimeSpan.FromMilliseconds(500), ct), "notified before the commit");
            }, CancellationToken.None);
        }

        Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(5)), "not notified of the commit");
        Assert.Equal(1, notifications);
        await EffectsAsync(database, run, 1);
    }

    [Fact]
    public async Task Events_written_while_no_relay_runs_are_all_delivered_once_one_starts()
    {
        var database = await fixture.NewDatabaseAsync();
        var run = Guid.NewGuid();
        await using (var db = MessagingFixture.Database(database))
        {
            await db.InTransactionAsync(ct =>
            {
                for (var n = 1; n <= 20; n++)
                {
                    db.Publish(new Pinged(run, n));
                }

                return db.SaveChangesAsync(ct);
            }, CancellationToken.None);
        }

        await using var host = await fixture.StartHostAsync(database, Service(), x => x.AddConsumer<PingedConsumer>());
        var effects = await EffectsAsync(database, run, 20);
        Assert.Equal(Enumerable.Range(1, 20), effects.Select(e => e.Number).Order());
        await UnsentAsync(database, 0);
    }

    [Fact]
    public async Task Two_relays_on_one_database_publish_each_of_200_events_exactly_once()
    {
        var database = await fixture.NewDatabaseAsync();
        var service = Service();
        await using var first = await fixture.StartHostAsync(database, service, x => x.AddConsumer<CountedConsumer>());
        await using var second = await fixture.StartHostAsync(database, service, x => x.AddConsumer<CountedConsumer>());
        var run = Guid.NewGuid();

        // Ten writers at once, twenty events each, while both relays are awake.
        var ids = await Task.WhenAll(Enumerable.Range(0, 10).Select(writer => Task.Run(async () =>
        {
            await using var db = MessagingFixture.Database(database);
            await db.InTransactionAsync(ct =>
            {
                for (var n = 0; n < 20; n++)
                {
                    db.Publish(new Counted(run, writer * 20 + n));
                }

                return db.SaveChangesAsync(ct);
            }, CancellationToken.None);
            return await db.Set<OutboxMessage>().Select(m => m.Id).ToListAsync();
        })));
        var written = ids.SelectMany(i => i).ToHashSet();
        Assert.Equal(200, written.Count);

        await Eventually.HoldsAsync(() => written.All(CountedConsumer.Deliveries.ContainsKey), Delivery,
            "all 200 events delivered", () => $"{written.Count(CountedConsumer.Deliveries.ContainsKey)} delivered");
        await UnsentAsync(database, 0);
        // A duplicate would come right behind the first delivery; give it a moment to show.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.All(written, id => Assert.Equal(1, CountedConsumer.Deliveries[id]));
    }

    [Fact]
    public async Task Publishing_continues_the_trace_of_the_writer()
    {
        var database = await fixture.NewDatabaseAsync();
        await using var host = await fixture.StartHostAsync(database, Service(), x => x.AddConsumer<PingedConsumer>());
        var run = Guid.NewGuid();

        string traceId;
        await using (var db = MessagingFixture.Database(database))
        {
            using var checkout = MessagingFixture.Writer.StartActivity("checkout");
            Assert.NotNull(checkout);
            traceId = checkout.TraceId.ToHexString();
            await db.InTransactionAsync(ct =>
            {
                db.Publish(new Pinged(run, 1));
                return db.SaveChangesAsync(ct);
            }, CancellationToken.None);
            Assert.Equal(checkout.Id, (await db.Set<OutboxMessage>().SingleAsync()).TraceParent);
        }

        var effect = Assert.Single(await EffectsAsync(database, run, 1));
        Assert.Equal(traceId, effect.TraceId);
    }

    [Fact]
    public async Task The_relays_polling_leaves_no_traces()
    {
        var database = await fixture.NewDatabaseAsync();
        await using var host = await fixture.StartHostAsync(database, Service(), x => x.AddConsumer<PingedConsumer>());
        var since = DateTime.UtcNow;
        await Task.Delay(OutboxRelay<TestDbContext>.PollInterval * 3);
        // Started since: one begun earlier (the host's start-up) and ending late on a loaded machine is no poll. And
        // the relay's: its poll, purge and LISTEN touch only the outbox and inbox tables.
        var traces = MessagingFixture.Recorded.Where(a => a.Source.Name == "Npgsql" && a.StartTimeUtc >= since && IsRelays(a)).ToList();
        Assert.True(traces.Count == 0, "recorded: " + string.Join("; ", traces.Select(a =>
            $"{a.DisplayName} at {a.StartTimeUtc:HH:mm:ss.fff} under {a.ParentId ?? "no parent"}: {a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement")}")));
    }

    private static bool IsRelays(Activity activity) =>
        (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is not string statement
        || statement.Contains("outbox_messages", StringComparison.Ordinal)
        || statement.Contains("inbox_messages", StringComparison.Ordinal)
        || statement.StartsWith("LISTEN", StringComparison.Ordinal);

    internal static string Service() => $"test-{Guid.NewGuid():N}"[..13];

    internal static async Task<List<Effect>> EffectsAsync(string database, Guid run, int count)
    {
        await using var db = MessagingFixture.Database(database);
        var effects = new List<Effect>();
        await Eventually.HoldsAsync(async () => (effects = await db.Effects.AsNoTracking().Where(e => e.Run == run).ToListAsync()).Count >= count,
            Delivery, $"{count} events consumed", () => $"{effects.Count} consumed");
        return effects;
    }

    internal static async Task UnsentAsync(string database, int count)
    {
        await using var db = MessagingFixture.Database(database);
        await Eventually.HoldsAsync(async () => await db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null) == count,
            Delivery, $"{count} outbox rows unsent");
    }
}
