using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace TTMall.Messaging;

/// <summary>
/// Base for consumers of services with a database: the effect and the message id commit together, so a redelivered
/// message (same MessageId) is acknowledged without its effect being repeated.
/// </summary>
public abstract class InboxConsumer<TContext, TMessage>(TContext db) : IConsumer<TMessage>
    where TContext : DbContext where TMessage : class
{
    protected TContext Db { get; } = db;

    public Task Consume(ConsumeContext<TMessage> context) => throw new NotImplementedException();

    /// <summary>
    /// The effect of the message: whatever it does to the context (state, db.Publish(...)) is saved and committed
    /// with the inbox row. Runs in a transaction through the execution strategy, so it may run again after a transient failure.
    /// </summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context, CancellationToken cancellationToken);
}
