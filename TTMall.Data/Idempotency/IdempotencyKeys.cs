using System.Data;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TTMall.ServiceDefaults.Http;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Data.Idempotency;

/// <summary>
/// Writes done at most once per <c>Idempotency-Key</c>: the key is claimed in the same transaction as the write and
/// stored with its result, so a request repeated after its answer was lost (a replica killed after committing, the
/// gateway sending it again elsewhere) is answered with the first result instead of being done twice. Two requests with
/// the same key at the same moment are one after the other: the second waits for the first's transaction and then
/// reads its result. A write that fails rolls its key back with it, so the key can be used again.
/// </summary>
public static class IdempotencyKeys
{
    public const string Table = "idempotency_keys";

    /// <summary>Longest key accepted; UUIDs and the like are far shorter.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>How long a key is remembered: a client repeating a request a day later is sending a new one.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Adds the keys' table to a service's model (a migration then creates it).</summary>
    public static ModelBuilder AddIdempotencyKeys(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StoredIdempotencyKey>(key =>
        {
            key.ToTable(Table);
            key.HasKey(k => new { k.Owner, k.Key });
            key.Property(k => k.Owner).HasMaxLength(StoredIdempotencyKey.MaxOwnerLength);
            key.Property(k => k.Key).HasMaxLength(MaxKeyLength);
            key.Property(k => k.Fingerprint).HasMaxLength(64);
            key.HasIndex(k => k.CreatedAt);
        });
        return modelBuilder;
    }

    /// <summary>Forgets keys older than <see cref="Retention"/>, hourly, on every replica (deleting is idempotent too).</summary>
    public static IServiceCollection AddIdempotencyKeys<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        services.TryAddSingleton(TimeProvider.System);
        return services.AddHostedService<IdempotencyKeyPurge<TContext>>();
    }

    /// <summary>
    /// The request's key, or null when it has none; a key that is empty, longer than <see cref="MaxKeyLength"/> or not
    /// visible ASCII is an error on the header.
    /// </summary>
    public static string? Read(HttpRequest request, FieldErrors errors)
    {
        if (!request.Headers.TryGetValue(RepeatableRequests.IdempotencyKeyHeader, out var values))
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] : null;
        if (key is null || key.Length is 0 or > MaxKeyLength || !key.All(c => c is >= '!' and <= '~'))
        {
            errors.Add(RepeatableRequests.IdempotencyKeyHeader,
                $"{RepeatableRequests.IdempotencyKeyHeader} must be one value of 1 to {MaxKeyLength} visible ASCII characters, such as a UUID.");
            return null;
        }

        return key;
    }

    /// <summary>422: the key was used before for a different request.</summary>
    public static ProblemHttpResult ReusedProblem() => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Idempotency-Key already used",
        detail: $"This {RepeatableRequests.IdempotencyKeyHeader} was sent before with a different request; use a new key for a new request.");

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction with claiming <paramref name="request"/>'s key and storing the
    /// result, or, if the key was claimed before, returns the stored result without running it. What the work returns
    /// is what every repeat gets, so it refuses by throwing (the transaction and the key roll back) or before it is
    /// called. A null <paramref name="request"/> (no key sent) just runs the work in a transaction.
    /// </summary>
    public static Task<IdempotentWrite<T>> OnceAsync<T>(
        this DbContext db, IdempotentRequest? request, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return db.InTransactionAsync<IdempotentWrite<T>>(
                async ct => new IdempotentWrite<T>.Done(await work(ct), Repeated: false), cancellationToken);
        }

        return db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            // A key another transaction has claimed and not yet committed makes this insert wait for it: then it
            // inserts nothing (committed) or claims the key (rolled back).
            var claimed = await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO idempotency_keys ("Owner", "Key", "Fingerprint", "CreatedAt")
                VALUES ({request.Owner}, {request.Key}, {request.Fingerprint}, now())
                ON CONFLICT DO NOTHING
                """, ct);
            if (claimed == 0)
            {
                // Read committed: this statement sees the row the insert waited for.
                var stored = await Find(db, request).AsNoTracking().SingleAsync(ct);
                await transaction.RollbackAsync(ct);
                return stored.Fingerprint == request.Fingerprint && stored.Result is not null
                    ? new IdempotentWrite<T>.Done(JsonSerializer.Deserialize<T>(stored.Result, Json)!, Repeated: true)
                    : new IdempotentWrite<T>.KeyReused();
            }

            var result = await work(ct);
            var json = JsonSerializer.Serialize(result, Json);
            await Find(db, request).ExecuteUpdateAsync(key => key.SetProperty(k => k.Result, json), ct);
            await transaction.CommitAsync(ct);
            return (IdempotentWrite<T>)new IdempotentWrite<T>.Done(result, Repeated: false);
        }, cancellationToken);
    }

    private static IQueryable<StoredIdempotencyKey> Find(DbContext db, IdempotentRequest request) =>
        db.Set<StoredIdempotencyKey>().Where(k => k.Owner == request.Owner && k.Key == request.Key);
}
