using MassTransit;
using TTMall.Messaging;

namespace TTMall.Bench.Checkout;

/// <summary>An idempotent consumer as the services have them (inbox row in its own transaction), noting when each probe arrived.</summary>
public sealed class OutboxProbeConsumer(OutboxProbeDbContext db, ProbeArrivals arrivals) : InboxConsumer<OutboxProbeDbContext, OutboxProbe>(db)
{
    protected override Task HandleAsync(OutboxProbe message, ConsumeContext<OutboxProbe> context, CancellationToken cancellationToken)
    {
        arrivals.ConsumedNow(message.Number);
        return Task.CompletedTask;
    }
}
