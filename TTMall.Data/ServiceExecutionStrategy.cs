using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace TTMall.Data;

/// <summary>
/// Npgsql's retrying strategy (<see cref="ServiceDatabaseExtensions.MaxRetries"/> tries, at most
/// <see cref="ServiceDatabaseExtensions.MaxRetryDelay"/> apart), except when the server is not there to answer: not
/// listening (connection refused), or starting up, shutting down or recovering (57P03, cannot_connect_now). That
/// lasts seconds, not the quarter of a second a retry waits, and each try of a busy server's refusal can itself take a
/// second; retrying would only hold the request past the gateway's patience. The request is answered 503 at once
/// instead, with Retry-After. A connection broken under a query (a restarted server, a reset) is still retried, on a
/// new connection, as are serialization failures and deadlocks.
/// </summary>
internal sealed class ServiceExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, ServiceDatabaseExtensions.MaxRetries, ServiceDatabaseExtensions.MaxRetryDelay, errorCodesToAdd: null)
{
    protected override bool ShouldRetryOn(Exception? exception) => exception is not null && !IsServerAway(exception) && base.ShouldRetryOn(exception);

    internal static bool IsServerAway(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow } => true,
        NpgsqlException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => true,
        _ => false,
    };
}
