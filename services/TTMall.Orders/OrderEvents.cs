using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>
/// What orders tells the rest of the mall. Each event goes into the outbox of the context whose transaction changes
/// the order, so it is published if and only if that change commits.
/// </summary>
public static class OrderEvents
{
    public static void Submitted(OrdersDbContext db, Order order) =>
        db.Publish(new OrderSubmitted(order.Id, order.UserId, Lines(order), order.Total, order.CreatedAt));

    public static void Paid(OrdersDbContext db, Order order, Guid paymentId) =>
        db.Publish(new OrderPaid(order.Id, order.UserId, paymentId, order.Total));

    /// <param name="wasPaid">The order had been paid: payments refunds its payment.</param>
    public static void Cancelled(OrdersDbContext db, Order order, string reason, bool wasPaid) =>
        db.Publish(new OrderCancelled(order.Id, order.UserId, reason, Lines(order), wasPaid));

    public static void RefundRequested(OrdersDbContext db, Guid paymentId, Guid orderId, string reason) =>
        db.Publish(new PaymentRefundRequested(paymentId, orderId, reason));

    private static List<OrderLine> Lines(Order order) =>
        [.. order.Lines.OrderBy(l => l.LineNumber).Select(l => new OrderLine(l.ProductId, l.Name, l.Quantity, l.UnitPrice))];
}
