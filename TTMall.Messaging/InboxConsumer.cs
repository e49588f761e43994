using MassTransit;
using Microsoft.EntityFrameworkCore;
using TTMall.Data;

namespace TTMall.Messaging;

/// <summary>
/// Base for consumers of services with a database: the effect and the message id commit together, so a redelivered
/// message (same MessageId: a relay that published twice, a consumer that died before acknowledging) is acknowledged
/// without its effect being repeated.
/// </summary>
public abstract class InboxConsumer<TContext, TMessage>(TContext db) : IConsumer<TMessage>
    where TContext : DbContext where TMessage : class
{
    /// <summary>
    /// The consumer's context, the one the inbox row is written with: use it (rather than capturing the constructor's
    /// parameter again, which the compiler warns about) for the effect.
    /// </summary>
    protected TContext Db => db;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} has no MessageId; an inbox cannot recognise it again.");
        var consumer = ConsumerName;
        var handled = false;
        await db.InTransactionAsync(async ct =>
        {
            handled = false;
            // A second delivery being handled at this moment makes this insert wait for it: then it inserts nothing
            // (the first committed) or claims the message (the first rolled back).
            var claimed = await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO inbox_messages ("Consumer", "MessageId", "ProcessedAt")
                VALUES ({consumer}, {messageId}, now())
                ON CONFLICT DO NOTHING
                """, ct);
            if (claimed == 0)
            {
                return;
            }

            await HandleAsync(context.Message, context, ct);
            await db.SaveChangesAsync(ct);
            handled = true;
        }, context.CancellationToken);
        if (handled)
        {
            Committed(context.Message);
        }
    }

    /// <summary>
    /// Runs once the effect has been committed (not for a message handled before): the place for what must follow
    /// the commit, such as forgetting cached copies of what changed, which a read between a forget and the commit
    /// would otherwise put back as it was.
    /// </summary>
    protected virtual void Committed(TMessage message)
    {
    }

    /// <summary>
    /// The effect of the message: whatever it does to the context (state, db.Publish(...)) is saved and committed
    /// with the inbox row. Runs in a transaction through the execution strategy, so it may run again, from a clean
    /// change tracker, after a transient failure; a thrown exception rolls everything back and the message is retried.
    /// </summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context, CancellationToken cancellationToken);

    private string ConsumerName
    {
        get
        {
            var name = GetType().FullName ?? GetType().Name;
            return name.Length <= InboxMessage.MaxConsumerLength ? name : name[..InboxMessage.MaxConsumerLength];
        }
    }
}
