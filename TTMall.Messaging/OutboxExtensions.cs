using Microsoft.EntityFrameworkCore;

namespace TTMall.Messaging;

public static class OutboxExtensions
{
    /// <summary>
    /// Adds the event to the context's outbox: written by the caller's SaveChanges, in the caller's transaction
    /// (db.InTransactionAsync / db.OnceAsync), published by the relay only once that commits.
    /// </summary>
    public static void Publish<TEvent>(this DbContext db, TEvent @event) where TEvent : class =>
        throw new NotImplementedException();
}
