using System.Diagnostics;
using MassTransit;

namespace TTMall.Messaging.Tests;

public sealed class PingedConsumer(TestDbContext db) : InboxConsumer<TestDbContext, Pinged>(db)
{
    protected override Task HandleAsync(Pinged message, ConsumeContext<Pinged> context, CancellationToken cancellationToken)
    {
        Db.Effects.Add(new Effect
        {
            Run = message.Run,
            Number = message.Number,
            MessageId = context.MessageId!.Value,
            TraceId = Activity.Current?.TraceId.ToHexString(),
        });
        return Task.CompletedTask;
    }
}
