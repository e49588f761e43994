using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace TTMall.Messaging;

public static class OutboxExtensions
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds the event to the context's outbox: written by the caller's SaveChanges, in the caller's transaction
    /// (db.InTransactionAsync / db.OnceAsync from TTMall.Data), published by the relay only once that commits. A
    /// transaction that rolls back takes the event with it.
    /// </summary>
    public static void Publish<TEvent>(this DbContext db, TEvent @event) where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        // The runtime type: an event passed as a base type is still published as what it is.
        var type = @event.GetType();
        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            Id = Guid.CreateVersion7(),
            Type = TypeName(type),
            Body = JsonSerializer.Serialize(@event, type, Json),
            CreatedAt = Clock(db).GetUtcNow(),
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null,
        });
    }

    /// <summary>"Namespace.Name, Assembly": enough to find the type again, and unchanged by a new assembly version.</summary>
    internal static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    private static TimeProvider Clock(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<TimeProvider>()
        ?? TimeProvider.System;
}
