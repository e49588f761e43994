using System.Net;
using Npgsql;
using TTMall.Hosting;

namespace TTMall.Products.Tests;

/// <summary>Each service logs in to Postgres as its database's own role, which can do nothing else.</summary>
[Collection(ProductsCollection.Name)]
public class DatabaseRoleTests(ProductsFixture products)
{
    private MallInfrastructureFixture Infrastructure => products.Infrastructure;

    [Fact]
    public async Task Products_role_cannot_connect_to_usersdb()
    {
        var asProducts = new NpgsqlConnectionStringBuilder(Infrastructure.ConnectionString(MallInfrastructure.ProductsDb))
        {
            Database = MallInfrastructure.UsersDb,
            Pooling = false,
        };

        await using var connection = new NpgsqlConnection(asProducts.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Each_database_is_reached_as_its_own_unprivileged_owner_role(string database)
    {
        await using var connection = await OpenAsync(Infrastructure.ConnectionString(database));
        await using var command = new NpgsqlCommand(
            """
            SELECT current_user, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
                   pg_get_userbyid(d.datdba), has_database_privilege('public', current_database(), 'CONNECT')
            FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()
            """, connection);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());

        Assert.Equal(MallDatabases.Role(database), row.GetString(0));
        Assert.False(row.GetBoolean(1), "superuser");
        Assert.False(row.GetBoolean(2), "createrole");
        Assert.False(row.GetBoolean(3), "createdb");
        Assert.False(row.GetBoolean(4), "replication");
        Assert.False(row.GetBoolean(5), "bypassrls");
        Assert.Equal(MallDatabases.Role(database), row.GetString(6));
        Assert.False(row.GetBoolean(7), "PUBLIC may still connect");
    }

    public static TheoryData<string> Databases => [.. MallInfrastructure.DatabaseNames];

    [Fact]
    public async Task A_service_role_cannot_run_programs_on_the_server()
    {
        await using var connection = await OpenAsync(Infrastructure.ConnectionString(MallInfrastructure.ProductsDb));
        await using var copy = new NpgsqlCommand("COPY (SELECT 1) TO PROGRAM 'true'", connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => copy.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task Products_migrates_its_database_as_the_owner_role()
    {
        Assert.Equal(HttpStatusCode.OK, (await products.Service.CreateClient().GetAsync("/health")).StatusCode);

        await using var connection = await OpenAsync(Infrastructure.ConnectionString(MallInfrastructure.ProductsDb));
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE tableowner = current_user), count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());

        Assert.True(row.GetInt64(1) > 1, "no tables: migrations did not run");
        Assert.Equal(row.GetInt64(1), row.GetInt64(0));
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
