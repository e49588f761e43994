using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TTMall.Messaging.Tests;

/// <summary>
/// Real Postgres and RabbitMQ for the whole assembly (they take ~10 s to start), and an activity listener that records
/// MassTransit's, the relay's and the tests' activities, as the dashboard's OpenTelemetry would.
/// </summary>
public sealed class MessagingFixture : IAsyncLifetime
{
    private const string WriterSource = "TTMall.Messaging.Tests";

    /// <summary>Where a test's "request" activity comes from; matched by name, since it is created after the listener.</summary>
    public static readonly ActivitySource Writer = new(WriterSource);

    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name is "MassTransit" or MessagingTelemetry.ActivitySourceName or WriterSource or "Npgsql",
        // As OpenTelemetry's default sampler: a child of an unrecorded parent is not recorded either.
        Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
            options.Parent != default && !options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
                ? ActivitySamplingResult.None
                : ActivitySamplingResult.AllDataAndRecorded,
        ActivityStopped = activity => Recorded.Enqueue(activity),
    };

    /// <summary>Every recorded activity, in the order they stopped.</summary>
    public static ConcurrentQueue<Activity> Recorded { get; } = new();

    public MallInfrastructureFixture Infrastructure { get; } = new();

    public string RabbitMq => Infrastructure.ConnectionString(MessagingExtensions.ConnectionName);

    public async Task InitializeAsync()
    {
        ActivitySource.AddActivityListener(_listener);
        await Infrastructure.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await Infrastructure.DisposeAsync();
    }

    /// <summary>A new database with the test model (outbox and inbox included); returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"messaging_{Guid.NewGuid():N}"[..26];
        var owner = new NpgsqlConnectionStringBuilder(Infrastructure.ConnectionString("productsdb"));
        await using (var connection = new NpgsqlConnection(Infrastructure.PostgresSuperuser))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" OWNER \"{owner.Username}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(owner.ConnectionString) { Database = name }.ConnectionString;
        await using var db = Database(database);
        await db.Database.EnsureCreatedAsync();
        return database;
    }

    /// <summary>A context straight on a database, as a writer without a running host, or to check what was written.</summary>
    public static TestDbContext Database(string connectionString) =>
        new(new DbContextOptionsBuilder<TestDbContext>().UseNpgsql(connectionString).Options);

    /// <summary>A service's host over <paramref name="database"/>: relay, bus, and the consumers given, queues named after <paramref name="service"/>.</summary>
    /// <param name="rabbitMq">Another broker address than the running one (one where nothing listens).</param>
    public Task<MessagingHost> StartHostAsync(
        string database, string service, Action<IBusRegistrationConfigurator> consumers, string? rabbitMq = null) =>
        MessagingHost.StartAsync(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{TestDbContext.ConnectionName}"] = database,
            [$"ConnectionStrings:{MessagingExtensions.ConnectionName}"] = rabbitMq ?? RabbitMq,
            [MessagingExtensions.ServiceNameSetting] = service,
            // Long enough for a loaded machine to answer the first probe inside it, short enough to wait out.
            [BusHealthCheck.GraceSetting] = ConnectGrace.ToString(),
        }, consumers, waitForBus: rabbitMq is null);

    public static readonly TimeSpan ConnectGrace = TimeSpan.FromSeconds(10);
}

[CollectionDefinition(Name)]
public sealed class MessagingCollection : ICollectionFixture<MessagingFixture>
{
    public const string Name = "messaging";
}
