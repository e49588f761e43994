using System.Net;
using Npgsql;
using TTMall.Hosting;

namespace TTMall.PaymentProvider.Tests;

/// <summary>The provider's store is a database of its own, reached with a role of its own, as every service's is.</summary>
[Collection(ProviderCollection.Name)]
public class DatabaseTests(ProviderFixture provider)
{
    [Fact]
    public async Task The_provider_migrates_providerdb_as_its_own_role_which_reaches_no_other_database()
    {
        using var http = provider.Client("");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        var own = new NpgsqlConnectionStringBuilder(provider.ConnectionString) { Pooling = false };
        Assert.Equal(("provider", "providerdb"), (own.Username, own.Database));

        await using (var connection = new NpgsqlConnection(own.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FILTER (WHERE tableowner = current_user), count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
            await using var row = await command.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            Assert.True(row.GetInt64(1) >= 5, "the tables are missing: migrations did not run");
            Assert.Equal(row.GetInt64(1), row.GetInt64(0));
        }

        await using var elsewhere = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(own.ConnectionString) { Database = MallInfrastructure.PaymentsDb }.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => elsewhere.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }
}
