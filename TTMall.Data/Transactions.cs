using System.Data;
using Microsoft.EntityFrameworkCore;

namespace TTMall.Data;

/// <summary>
/// Work that reads and writes a service's database as one unit. Every service with a database runs its multi-step
/// changes through here, so retries, isolation and the change tracker are handled the same way everywhere.
/// </summary>
public static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction that commits whatever it returns, so work must write nothing
    /// before it has decided to succeed; to refuse after writing, throw (the transaction rolls back). Runs through
    /// the context's execution strategy because Aspire turns on retries: a transient failure, such as a serialization
    /// failure under <see cref="IsolationLevel.Serializable"/>, runs the whole unit again, from a clean change tracker.
    /// Exceptions that are not transient (see <see cref="PostgresErrors"/>) reach the caller after the rollback.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(
        this DbContext db, IsolationLevel isolation, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(isolation, ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);

    /// <inheritdoc cref="InTransactionAsync{T}(DbContext, IsolationLevel, Func{CancellationToken, Task{T}}, CancellationToken)"/>
    /// <remarks>Read committed, Postgres's default: enough where the work locks the rows it decides on.</remarks>
    public static Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.InTransactionAsync(IsolationLevel.ReadCommitted, work, cancellationToken);

    /// <inheritdoc cref="InTransactionAsync{T}(DbContext, IsolationLevel, Func{CancellationToken, Task{T}}, CancellationToken)"/>
    public static Task InTransactionAsync(this DbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        db.InTransactionAsync(IsolationLevel.ReadCommitted, async ct =>
        {
            await work(ct);
            return true;
        }, cancellationToken);
}
