using System.Collections.Concurrent;
using System.Text;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using TTMall.Data;

namespace TTMall.Messaging.Tests;

/// <summary>Consumers with an inbox: a message delivered again has no second effect; one that always fails ends in the error queue, not dropped.</summary>
[Collection(MessagingCollection.Name)]
public sealed class InboxTests(MessagingFixture fixture)
{
    [Fact]
    public async Task The_same_message_delivered_twice_has_its_effect_once()
    {
        var database = await fixture.NewDatabaseAsync();
        await using var host = await fixture.StartHostAsync(database, OutboxTests.Service(), x => x.AddConsumer<PingedConsumer>());
        var consumed = new ConsumedMessages();
        var bus = host.Services.GetRequiredService<IBus>();
        using var observing = bus.ConnectConsumeObserver(consumed);
        var run = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        // As a relay that published, lost its commit and published again would: twice, with the same MessageId.
        for (var i = 0; i < 2; i++)
        {
            await bus.Publish(new Pinged(run, 1), context => context.MessageId = messageId);
        }

        await Eventually.HoldsAsync(() => consumed.Count(messageId) == 2, TimeSpan.FromSeconds(30), "both deliveries consumed");
        await using var db = MessagingFixture.Database(database);
        var effect = Assert.Single(await db.Effects.Where(e => e.Run == run).ToListAsync());
        Assert.Equal(messageId, effect.MessageId);
        Assert.Equal(1, await db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId && m.Consumer == typeof(PingedConsumer).FullName));
    }

    [Fact]
    public async Task A_message_whose_consumer_always_fails_is_moved_to_the_error_queue_after_the_retries()
    {
        var database = await fixture.NewDatabaseAsync();
        var service = OutboxTests.Service();
        await using var host = await fixture.StartHostAsync(database, service, x => x.AddConsumer<PoisonedConsumer>());
        var run = Guid.NewGuid();
        Guid messageId;
        await using (var db = MessagingFixture.Database(database))
        {
            await db.InTransactionAsync(ct =>
            {
                db.Publish(new Poisoned(run));
                return db.SaveChangesAsync(ct);
            }, CancellationToken.None);
            messageId = (await db.Set<OutboxMessage>().SingleAsync()).Id;
        }

        var retries = MessagingExtensions.RetryIntervals.Aggregate(TimeSpan.Zero, (sum, interval) => sum + interval);
        var errorQueue = $"{service}-poisoned_error";
        var dead = await Eventually.FoundAsync(() => GetAsync(errorQueue), retries + TimeSpan.FromSeconds(30), $"a message in {errorQueue}");
        Assert.Equal(messageId.ToString(), dead.BasicProperties.MessageId);
        Assert.Contains(run.ToString(), Encoding.UTF8.GetString(dead.Body.Span));

        await using var check = MessagingFixture.Database(database);
        Assert.NotNull((await check.Set<OutboxMessage>().SingleAsync()).SentAt);
        // The failed attempts rolled back: no inbox entry, so the message can be moved back and handled later.
        Assert.False(await check.Set<InboxMessage>().AnyAsync());
    }

    private async Task<BasicGetResult?> GetAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(fixture.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return await channel.BasicGetAsync(queue, autoAck: true);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return null; // MassTransit creates the error queue with the first message it moves there
        }
    }

    /// <summary>Counts consumes that completed, by MessageId.</summary>
    private sealed class ConsumedMessages : IConsumeObserver
    {
        private readonly ConcurrentDictionary<Guid, int> _counts = new();

        public int Count(Guid messageId) => _counts.GetValueOrDefault(messageId);

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            _counts.AddOrUpdate(context.MessageId!.Value, 1, (_, count) => count + 1);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
