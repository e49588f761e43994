using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Payments.Data;

namespace TTMall.Payments.Refunds;

/// <summary>An order cancelled after it was paid: its payment is given back.</summary>
public sealed class OrderCancelledConsumer(PaymentsDbContext db, Refunder refunder) : InboxConsumer<PaymentsDbContext, OrderCancelled>(db)
{
    protected override Task HandleAsync(OrderCancelled message, ConsumeContext<OrderCancelled> context, CancellationToken cancellationToken) =>
        // A payment that succeeds after this (it was pending) reaches orders as a payment for a cancelled order, and
        // comes back here as a refund request.
        message.WasPaid
            ? refunder.RefundAsync(Db.Payments.Where(p => p.OrderId == message.OrderId), cancellationToken)
            : Task.CompletedTask;
}
