using MassTransit;

namespace TTMall.Messaging.Tests;

public sealed class PoisonedConsumer(TestDbContext db) : InboxConsumer<TestDbContext, Poisoned>(db)
{
    protected override Task HandleAsync(Poisoned message, ConsumeContext<Poisoned> context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("This consumer never succeeds.");
}
