using System.Globalization;
using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>
/// The order's state machine. Each change is guarded by the state the order is in now, read under the order's lock
/// (<see cref="OrderLocks"/>): events may come twice or out of order, and one that no longer applies changes nothing.
/// The caller saves and commits; events go out with that commit.
/// </summary>
public static class OrderTransitions
{
    public const string CancelledByShopper = "Cancelled by the shopper.";
    public const string PaymentDeadlinePassed = "The payment deadline passed before the order was paid.";

    /// <summary>
    /// Submitted → AwaitingPayment: the stock is held, the shopper has <paramref name="paymentTime"/> to pay. A reservation
    /// for an order cancelled meanwhile changes nothing, but the cancellation is announced again: the products service
    /// may have reserved after it handled the first announcement, and it releases what it holds for the order.
    /// </summary>
    public static bool StockReserved(OrdersDbContext db, Order order, DateTimeOffset now, TimeSpan paymentTime)
    {
        now = now.ToStored();
        if (order.Status == OrderStatus.Cancelled)
        {
            OrderEvents.Cancelled(db, order, order.CancelReason ?? CancelledByShopper, wasPaid: false);
            return true;
        }

        if (order.Status != OrderStatus.Submitted)
        {
            return false;
        }

        order.Status = OrderStatus.AwaitingPayment;
        order.PaymentDeadline = (now + paymentTime).ToStored();
        order.UpdatedAt = now;
        return true;
    }

    /// <summary>Submitted → Cancelled: some products could not be reserved; the reason names them.</summary>
    public static bool StockRejected(OrdersDbContext db, Order order, IReadOnlyList<int> productIds, string reason, DateTimeOffset now)
    {
        now = now.ToStored();
        if (order.Status != OrderStatus.Submitted)
        {
            return false;
        }

        var names = order.Lines.Where(l => productIds.Contains(l.ProductId)).OrderBy(l => l.LineNumber).Select(l => l.Name).ToList();
        var text = names.Count > 0
            ? $"Not enough stock of {string.Join(", ", names)}."
            : $"The stock could not be reserved: {reason}";
        Cancel(db, order, Bounded(text), now, wasPaid: false);
        return true;
    }

    /// <summary>
    /// AwaitingPayment → Paid. A payment for an order that cannot take it (cancelled meanwhile, paid by another payment,
    /// a different amount) is sent back: a refund is asked for, the order is unchanged.
    /// </summary>
    public static bool PaymentSucceeded(OrdersDbContext db, Order order, Guid paymentId, decimal amount, DateTimeOffset now)
    {
        now = now.ToStored();
        if (order.Status == OrderStatus.Paid && order.PaymentId == paymentId)
        {
            // The same payment reported again: it already paid this order.
            return false;
        }

        if (order.Status != OrderStatus.AwaitingPayment)
        {
            OrderEvents.RefundRequested(db, paymentId, order.Id, order.Status switch
            {
                OrderStatus.Paid => "The order was already paid by another payment.",
                OrderStatus.Cancelled => "The order was cancelled before the payment arrived.",
                _ => "The order was not awaiting payment.",
            });
            return true;
        }

        if (amount != order.Total)
        {
            OrderEvents.RefundRequested(db, paymentId, order.Id,
                string.Create(CultureInfo.InvariantCulture, $"The payment of {amount:0.00} CNY does not match the order's total of {order.Total:0.00} CNY."));
            return true;
        }

        order.Status = OrderStatus.Paid;
        order.PaymentId = paymentId;
        order.PaidAt = now;
        order.PaymentFailure = null;
        order.UpdatedAt = now;
        OrderEvents.Paid(db, order, paymentId);
        return true;
    }

    /// <summary>The order stays AwaitingPayment (the shopper may pay again); the reason is kept to show them.</summary>
    public static bool PaymentFailed(Order order, string reason, DateTimeOffset now)
    {
        now = now.ToStored();
        if (order.Status != OrderStatus.AwaitingPayment)
        {
            return false;
        }

        order.PaymentFailure = Bounded(reason);
        order.UpdatedAt = now;
        return true;
    }

    /// <summary>AwaitingPayment → Cancelled once the deadline has passed; the stock is released.</summary>
    public static bool DeadlinePassed(OrdersDbContext db, Order order, DateTimeOffset now)
    {
        now = now.ToStored();
        if (order.Status != OrderStatus.AwaitingPayment || order.PaymentDeadline is not { } deadline || deadline >= now)
        {
            return false;
        }

        Cancel(db, order, PaymentDeadlinePassed, now, wasPaid: false);
        return true;
    }

    /// <summary>
    /// The owner cancels: from any state but Cancelled (which stays as it is). A paid order's payment is refunded;
    /// stock reserved for it, even by a reservation still on its way, is released by the products service.
    /// </summary>
    public static bool CancelledByOwner(OrdersDbContext db, Order order, DateTimeOffset now)
    {
        now = now.ToStored();
        if (order.Status == OrderStatus.Cancelled)
        {
            return false;
        }

        Cancel(db, order, CancelledByShopper, now, wasPaid: order.Status == OrderStatus.Paid);
        return true;
    }

    private static void Cancel(OrdersDbContext db, Order order, string reason, DateTimeOffset now, bool wasPaid)
    {
        order.Status = OrderStatus.Cancelled;
        order.CancelReason = reason;
        order.CancelledAt = now;
        order.UpdatedAt = now;
        OrderEvents.Cancelled(db, order, reason, wasPaid);
    }

    private static string Bounded(string text) => text.Length <= Order.MaxReasonLength ? text : text[..(Order.MaxReasonLength - 1)] + "…";
}
