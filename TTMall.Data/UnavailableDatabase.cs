using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TTMall.ServiceDefaults.Http;

namespace TTMall.Data;

public static class UnavailableDatabaseExtensions
{
    /// <summary>
    /// A request that fails because the service's Postgres database does not answer (stopped, restarting, unreachable,
    /// shutting connections down) is a 503 problem naming <paramref name="what"/>; when the database is back, the
    /// connection pool reconnects and the next request is served.
    /// </summary>
    public static IServiceCollection AddUnavailableDatabase(this IServiceCollection services, string what) =>
        services.AddUnavailableDependency<Exception>(
            $"The {what} store is not answering",
            $"The {what} are kept in a Postgres database, which did not answer. Try again in a moment.",
            IsUnavailable);

    /// <summary>The server is gone or going (SQLSTATE classes 08 connection exception, 57P operator intervention), or cannot be reached at all.</summary>
    internal static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.InnerException is SocketException or IOException or TimeoutException || npgsql.IsTransient,
        _ => false,
    };
}
