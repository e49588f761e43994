using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using TTMall.Hosting;
using TTMall.PaymentProvider.Data;

namespace TTMall.PaymentProvider.Tests;

/// <summary>
/// Real Postgres (with the rest of the mall's servers, started once for this assembly) and one provider on a real port
/// over providerdb, logging at every level into <see cref="Logs"/>.
/// </summary>
public sealed class ProviderFixture : IAsyncLifetime
{
    /// <summary>Made per run, as the AppHost makes its secret parameter: nothing in the code knows it.</summary>
    public string ApiKey { get; } = $"sk_test_{Guid.NewGuid():N}";

    private MallServiceHost<ProviderDbContext>? _service;

    public MallInfrastructureFixture Infrastructure { get; } = new();

    public MallServiceHost<ProviderDbContext> Service => _service ?? throw new InvalidOperationException("Not started.");

    public CapturedLogs Logs { get; } = new();

    public string ConnectionString => Infrastructure.ConnectionString(MallInfrastructure.ProviderDb);

    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        _service = new MallServiceHost<ProviderDbContext>(new Dictionary<string, string?>(Settings)
        {
            // Everything is logged, so that a test can say no card number is logged at any level.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Trace",
        });
        _service.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
    }

    /// <summary>What a provider host needs: the servers' connection strings and the API key.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(Infrastructure.ConnectionStrings)
    {
        ["Provider:ApiKey"] = ApiKey,
    };

    /// <summary>A new, empty database owned by the provider's role; returns the settings a provider host needs to use it.</summary>
    public async Task<Dictionary<string, string?>> NewDatabaseAsync()
    {
        var name = $"provider_{Guid.NewGuid():N}"[..24];
        var own = new NpgsqlConnectionStringBuilder(ConnectionString);
        await using (var connection = new NpgsqlConnection(Infrastructure.PostgresSuperuser))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" OWNER \"{own.Username}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new Dictionary<string, string?>(Settings)
        {
            [$"ConnectionStrings:{ProviderDbContext.ConnectionName}"] = new NpgsqlConnectionStringBuilder(own.ConnectionString) { Database = name }.ConnectionString,
        };
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
    }

    /// <summary>A client sending the API key (or <paramref name="apiKey"/>, or none when it is "").</summary>
    public HttpClient Client(string? apiKey = null, TimeSpan? timeout = null)
    {
        var http = Service.CreateClient();
        var key = apiKey ?? ApiKey;
        if (key.Length > 0)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (timeout is { } t)
        {
            http.Timeout = t;
        }

        return http;
    }
}

[CollectionDefinition(Name)]
public sealed class ProviderCollection : ICollectionFixture<ProviderFixture>
{
    public const string Name = "provider";
}
