using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TTMall.Contracts;
using TTMall.Products.Data;

namespace TTMall.Products.Tests;

/// <summary>
/// Real Postgres, Redis and RabbitMQ (started once for all the classes of this assembly: they take ~10 s) and one
/// products service on a real port over productsdb. Tests that need their own service or database make them.
/// </summary>
public sealed class ProductsFixture : IAsyncLifetime
{
    private MallServiceHost<ProductsDbContext>? _service;
    private Task<TestBus>? _bus;

    public MallInfrastructureFixture Infrastructure { get; } = new();

    public MallServiceHost<ProductsDbContext> Service => _service ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        _service = new MallServiceHost<ProductsDbContext>(Infrastructure.ConnectionStrings);
    }

    /// <summary>Records the events products publishes (started at the first call, shared by the tests).</summary>
    public Task<TestBus> BusAsync() =>
        _bus ??= TestBus.StartAsync(Infrastructure.ConnectionString("rabbitmq"), "products-tests", events => events.Record<ProductPriceChanged>());

    public async Task DisposeAsync()
    {
        if (_bus is not null)
        {
            await (await _bus).DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
    }

    public HttpClient Client(string? token = null)
    {
        var http = Service.CreateClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>A context straight on the database, for checking what was (not) written.</summary>
    public ProductsDbContext Database(string? connectionString = null) =>
        new(new DbContextOptionsBuilder<ProductsDbContext>()
            .UseNpgsql(connectionString ?? Infrastructure.ConnectionString(ProductsDbContext.ConnectionName))
            .Options);

    /// <summary>A new, empty database on the same server; returns the settings a service host needs to use it.</summary>
    public async Task<Dictionary<string, string?>> NewDatabaseAsync()
    {
        var name = $"products_{Guid.NewGuid():N}"[..24];
        var products = new NpgsqlConnectionStringBuilder(Infrastructure.ConnectionString(ProductsDbContext.ConnectionName));
        await using (var connection = new NpgsqlConnection(Infrastructure.PostgresSuperuser))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" OWNER \"{products.Username}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(products.ConnectionString) { Database = name };
        return new Dictionary<string, string?>(Infrastructure.ConnectionStrings)
        {
            [$"ConnectionStrings:{ProductsDbContext.ConnectionName}"] = database.ConnectionString,
        };
    }
}

[CollectionDefinition(Name)]
public sealed class ProductsCollection : ICollectionFixture<ProductsFixture>
{
    public const string Name = "products";
}
