using MassTransit;
using TTMall.Contracts;

namespace TTMall.Carts;

/// <summary>
/// An order was placed: its products leave the shopper's cart, unless the shopper has added, re-added or changed
/// the line since the order's <see cref="OrderSubmitted.SubmittedAt"/> (see <see cref="CartStore.RemoveOrderedAsync"/>).
/// Carts have no database for an inbox: the removal is idempotent by itself, so a redelivery changes nothing more.
/// On the service's shared queue: one replica handles each order.
/// </summary>
public sealed partial class OrderSubmittedConsumer(CartStore store, ILogger<OrderSubmittedConsumer> logger) : IConsumer<OrderSubmitted>
{
    public async Task Consume(ConsumeContext<OrderSubmitted> context)
    {
        var order = context.Message;
        // A Redis failure throws: the message is retried, then parked in the error queue, never dropped.
        var removed = await store.RemoveOrderedAsync(order.UserId, order.Lines.Select(l => l.ProductId), order.SubmittedAt);
        LogRemoved(logger, removed, order.Lines.Count, order.OrderId);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} placed: {Removed} of its {Lines} lines left the cart")]
    private static partial void LogRemoved(ILogger logger, int removed, int lines, Guid orderId);
}
