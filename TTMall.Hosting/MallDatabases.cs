using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using TTMall.Hosting.Local;

namespace TTMall.Hosting;

/// <summary>
/// The mall's databases on one Postgres server, each with a login role of its own that owns it: products' role
/// (<c>products</c>, owning <c>productsdb</c>) can neither connect to <c>usersdb</c> nor run programs on the
/// server, as the superuser could. The same in both infrastructure modes: once the server is ready, the AppHost
/// (as superuser) creates or updates each role and database, and services get connection strings with their own role.
/// </summary>
public static class MallDatabases
{
    /// <summary>The login role owning <paramref name="database"/>: <c>productsdb</c> → <c>products</c>.</summary>
    public static string Role(string database) =>
        database.EndsWith("db", StringComparison.Ordinal) && database.Length > 2 ? database[..^2] : database;

    /// <param name="server">The server, whose connection string is the superuser's.</param>
    /// <param name="address">The server's <c>Host=…;Port=…</c> as services reach it.</param>
    /// <param name="password">Each role's password parameter, by role name.</param>
    public static IReadOnlyDictionary<string, IResourceBuilder<IResourceWithConnectionString>> Add(
        IDistributedApplicationBuilder builder,
        IResourceBuilder<IResourceWithConnectionString> server,
        ReferenceExpression address,
        IReadOnlyList<string> names,
        Func<string, IResourceBuilder<ParameterResource>> password)
    {
        var passwords = names.ToDictionary(name => name, name => password(Role(name)));

        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (e, ct) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server.Resource);
            var superuser = await server.Resource.GetConnectionStringAsync(ct) ?? throw new InvalidOperationException("The Postgres server has no connection string.");
            foreach (var name in names)
            {
                await ProvisionAsync(superuser, name, await passwords[name].Resource.GetValueAsync(ct) ?? "", logger, ct);
            }
        });

        return names.ToDictionary(
            name => name,
            name =>
            {
                var database = builder.AddConnectionString(name, ReferenceExpression.Create(
                        $"{address};Username={Role(name)};Password={passwords[name]};Database={name}"))
                    .WithParentRelationship(server)
                    // Until the server is ready neither the role nor the database exists.
                    .WaitFor(server);
                database.WithLocalHealthCheck(builder, LocalHealthChecks.Postgres(database.Resource));
                return (IResourceBuilder<IResourceWithConnectionString>)database;
            });
    }

    /// <summary>
    /// Makes <paramref name="database"/> exist, owned by its role, which logs in with <paramref name="password"/>,
    /// holds no other privilege, and is the only role besides the superuser that may connect. Runs on every start, so a
    /// changed password parameter takes effect and data made by earlier versions (owned by the superuser) is handed over.
    /// </summary>
    private static async Task ProvisionAsync(string superuserConnectionString, string database, string password, ILogger logger, CancellationToken ct)
    {
        var role = Role(database);
        var server = new NpgsqlConnectionStringBuilder(superuserConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync(ct);
            var roleExists = await ScalarAsync(connection, "SELECT 1 FROM pg_roles WHERE rolname = $1", role, ct) is not null;
            // CREATE/ALTER ROLE take no parameters; the literal is quoted (standard_conforming_strings is on).
            var attributes = $"LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'";
            await ExecuteAsync(connection, $"{(roleExists ? "ALTER" : "CREATE")} ROLE {Quote(role)} WITH {attributes}", ct);

            if (await ScalarAsync(connection, "SELECT 1 FROM pg_database WHERE datname = $1", database, ct) is null)
            {
                await ExecuteAsync(connection, $"CREATE DATABASE {Quote(database)} OWNER {Quote(role)}", ct);
                logger.LogInformation("Created database {Database} owned by role {Role}.", database, role);
            }
            else
            {
                await ExecuteAsync(connection, $"ALTER DATABASE {Quote(database)} OWNER TO {Quote(role)}", ct);
            }

            await ExecuteAsync(connection, $"REVOKE ALL ON DATABASE {Quote(database)} FROM PUBLIC", ct);
        }

        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString))
        {
            await connection.OpenAsync(ct);
            // Tables first: the sequences behind their identity columns follow them and cannot be given away alone.
            await ExecuteAsync(connection, $"""
                ALTER SCHEMA public OWNER TO {Quote(role)};
                DO $handover$
                DECLARE item record;
                BEGIN
                    FOR item IN SELECT c.relname, c.relkind FROM pg_class c
                        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                          AND c.relowner <> {Literal(role)}::regrole
                    LOOP
                        EXECUTE format('ALTER %s public.%I OWNER TO %I',
                            CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                            item.relname, {Literal(role)});
                    END LOOP;
                    FOR item IN SELECT c.relname FROM pg_class c
                        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S' AND c.relowner <> {Literal(role)}::regrole
                    LOOP
                        EXECUTE format('ALTER SEQUENCE public.%I OWNER TO %I', item.relname, {Literal(role)});
                    END LOOP;
                END
                $handover$;
                """, ct);
        }
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, string parameter, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = parameter } } };
        return await command.ExecuteScalarAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
