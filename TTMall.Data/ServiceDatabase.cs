using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TTMall.ServiceDefaults.Http;

namespace TTMall.Data;

public static class ServiceDatabaseExtensions
{
    /// <summary>
    /// Few and short retries: enough to ride out a connection broken by a restarted server or a serialization failure
    /// of <see cref="Transactions"/>, short enough that a request whose database is down is answered (503) well within
    /// the gateway's 3 s for a read. The standard policy (6 retries up to 30 s apart) would hold it for half a minute.
    /// </summary>
    public const int MaxRetries = 3;

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The service's own Postgres database: a pooled <typeparamref name="TContext"/> on the connection string
    /// <paramref name="connectionName"/> (with health check and telemetry), short retries, and a 503 problem naming
    /// <paramref name="what"/> the service keeps there for a request made while the database does not answer.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(
        this IHostApplicationBuilder builder, string connectionName, string what, Func<string?, string?>? connectionString = null)
        where TContext : DbContext
    {
        builder.AddNpgsqlDbContext<TContext>(connectionName,
            settings =>
            {
                settings.DisableRetry = true;
                if (connectionString is not null)
                {
                    settings.ConnectionString = connectionString(settings.ConnectionString);
                }
            },
            options => options.UseNpgsql(npgsql => npgsql.ExecutionStrategy(dependencies => new ServiceExecutionStrategy(dependencies))));
        builder.Services.AddUnavailableDependency<Exception>(
            $"The {what} store is not answering",
            $"The {what} are kept in a Postgres database, which did not answer. Try again in a moment.",
            IsUnavailable);
        return builder;
    }

    /// <summary>The server is gone or going (SQLSTATE classes 08 connection exception, 57P operator intervention), or cannot be reached at all.</summary>
    internal static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.InnerException is SocketException or IOException or TimeoutException || npgsql.IsTransient,
        _ => false,
    };
}
