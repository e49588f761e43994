using Microsoft.EntityFrameworkCore;

namespace TTMall.Orders.Data;

public static class OrderLocks
{
    /// <summary>
    /// The order with its lines, its row locked until the transaction ends: every change of state reads the state it
    /// changes under this lock, so an event and the owner's cancel (or two replicas) handling one order take turns and
    /// the second sees what the first did.
    /// </summary>
    public static async Task<Order?> LockOrderAsync(this OrdersDbContext db, Guid orderId, CancellationToken cancellationToken)
    {
        var order = (await db.Orders.FromSql($"SELECT * FROM orders WHERE \"Id\" = {orderId} FOR UPDATE").ToListAsync(cancellationToken))
            .SingleOrDefault();
        if (order is not null)
        {
            await db.Entry(order).Collection(o => o.Lines).LoadAsync(cancellationToken);
        }

        return order;
    }

    /// <summary>
    /// One order waiting for payment whose deadline was before <paramref name="now"/>, locked; orders another replica
    /// has locked are skipped, so two replicas scanning at once never take the same one.
    /// </summary>
    public static async Task<Order?> LockOneOverdueAsync(this OrdersDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var order = (await db.Orders.FromSql(
                $"""
                SELECT * FROM orders
                WHERE "Status" = 'AwaitingPayment' AND "PaymentDeadline" < {now}
                ORDER BY "PaymentDeadline"
                LIMIT 1
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken))
            .SingleOrDefault();
        if (order is not null)
        {
            await db.Entry(order).Collection(o => o.Lines).LoadAsync(cancellationToken);
        }

        return order;
    }
}
