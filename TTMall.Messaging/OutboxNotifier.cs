using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TTMall.Messaging;

/// <summary>
/// Wakes the relays when a SaveChanges writes to the outbox: a NOTIFY sent in the writing transaction is delivered
/// when it commits (and never if it rolls back), so the relay neither waits for its poll nor looks too early. A save
/// outside a transaction commits on its own, so its NOTIFY follows it.
/// </summary>
internal sealed class OutboxNotifier : SaveChangesInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, object> NotifyAfterSave = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db && WritesOutbox(db))
        {
            if (db.Database.CurrentTransaction is null)
            {
                NotifyAfterSave.AddOrUpdate(db, db);
            }
            else
            {
                db.Database.ExecuteSqlRaw(Notify);
            }
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && WritesOutbox(db))
        {
            if (db.Database.CurrentTransaction is null)
            {
                NotifyAfterSave.AddOrUpdate(db, db);
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync(Notify, cancellationToken);
            }
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } db && NotifyAfterSave.Remove(db))
        {
            db.Database.ExecuteSqlRaw(Notify);
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && NotifyAfterSave.Remove(db))
        {
            await db.Database.ExecuteSqlRawAsync(Notify, cancellationToken);
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Forget(DbContext? db)
    {
        if (db is not null)
        {
            NotifyAfterSave.Remove(db);
        }
    }

    private const string Notify = "NOTIFY " + MessagingTables.Channel;

    private static bool WritesOutbox(DbContext db) =>
        db.ChangeTracker.Entries<OutboxMessage>().Any(entry => entry.State == EntityState.Added);
}
