using System.Collections.Concurrent;
using MassTransit;

namespace TTMall.Messaging.Tests;

/// <summary>Counts every delivery by message id, across all the hosts of the test process.</summary>
public sealed class CountedConsumer : IConsumer<Counted>
{
    public static readonly ConcurrentDictionary<Guid, int> Deliveries = new();

    public Task Consume(ConsumeContext<Counted> context)
    {
        Deliveries.AddOrUpdate(context.MessageId!.Value, 1, (_, count) => count + 1);
        return Task.CompletedTask;
    }
}
