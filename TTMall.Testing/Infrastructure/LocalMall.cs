using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using TTMall.Hosting;

namespace TTMall.Testing.Infrastructure;

/// <summary>
/// Real Postgres (with the mall's databases), Redis and RabbitMQ, started by the AppHost's own start-up code in
/// local mode on a fresh data root, and removed with <c>./mall reset</c> when disposed. For tests and benchmarks;
/// the project using it references TTMall.AppHost (its assembly says where the orchestrator is).
/// </summary>
public sealed class LocalMall : IAsyncDisposable
{
    private readonly TestDataRoot _data = new();
    private readonly Dictionary<string, string> _connectionStrings = [];
    private DistributedApplication? _app;

    private LocalMall()
    {
    }

    /// <summary>The connection string by the name services use: productsdb, usersdb, ordersdb, paymentsdb, providerdb (each as its own role), redis, rabbitmq.</summary>
    public string ConnectionString(string name) => _connectionStrings[name];

    /// <summary>The Postgres superuser's connection string, for tests that make databases; services never get it.</summary>
    public string PostgresSuperuser { get; private set; } = "";

    /// <summary>Configuration a service needs to use these servers: <c>ConnectionStrings:*</c>.</summary>
    public IReadOnlyDictionary<string, string?> ConnectionStrings =>
        _connectionStrings.ToDictionary(c => $"ConnectionStrings:{c.Key}", c => (string?)c.Value);

    public static async Task<LocalMall> StartAsync(CancellationToken cancellationToken = default)
    {
        var mall = new LocalMall();
        try
        {
            await mall.StartCoreAsync(cancellationToken);
            return mall;
        }
        catch
        {
            await mall.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--TTMall:Infrastructure=Local", $"--TTMall:DataRoot={_data.Path}", "--TTMall:RabbitMqManagement=false"],
            AssemblyName = "TTMall.AppHost",
            DisableDashboard = true,
        });
        builder.Services.AddLogging(logging => logging.AddFilter((category, level) =>
            level >= LogLevel.Warning && category?.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal) != true
            && category?.Contains(".Resources.", StringComparison.Ordinal) != true));
        var mall = builder.AddMallInfrastructure();
        _app = builder.Build();
        await _app.StartAsync(timeout.Token);
        await MallReadiness.WaitUntilAllHealthyAsync(
            _app.Services.GetRequiredService<DistributedApplicationModel>(),
            _app.Services.GetRequiredService<ResourceNotificationService>(),
            timeout.Token);

        foreach (var store in mall.Databases.Values.Append(mall.Redis).Append(mall.RabbitMq))
        {
            _connectionStrings[store.Resource.Name] = await store.Resource.GetConnectionStringAsync(timeout.Token)
                ?? throw new InvalidOperationException($"{store.Resource.Name} has no connection string");
        }

        PostgresSuperuser = await mall.Postgres.Resource.GetConnectionStringAsync(timeout.Token) ?? throw new InvalidOperationException("postgres has no connection string");
    }

    /// <summary>
    /// Stops one server (<c>postgres</c>, <c>redis</c>, <c>rabbitmq</c>) as a person would from the dashboard, for tests
    /// of what a service does while it is away; <see cref="StartResourceAsync"/> brings it back on the same port.
    /// </summary>
    public Task StopResourceAsync(string resource, CancellationToken cancellationToken = default) =>
        CommandAsync(resource, KnownResourceCommands.StopCommand, cancellationToken);

    /// <summary>Starts a server stopped by <see cref="StopResourceAsync"/> and waits until it is healthy again.</summary>
    public async Task StartResourceAsync(string resource, CancellationToken cancellationToken = default)
    {
        await CommandAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
        await App.Services.GetRequiredService<ResourceNotificationService>().WaitForResourceHealthyAsync(resource, cancellationToken);
    }

    private async Task CommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} {resource}: {result.Message}");
        }
    }

    private DistributedApplication App => _app ?? throw new InvalidOperationException("The infrastructure is not started.");

    public async ValueTask DisposeAsync()
    {
        // Postgres stops "smart": it waits for its clients, and this process's connection pools are clients.
        NpgsqlConnection.ClearAllPools();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        // The orchestrator stops the servers after DisposeAsync returns; the data can go once Postgres is gone.
        var postmaster = Path.Combine(_data.Path, "postgres", "data", "postmaster.pid");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); File.Exists(postmaster) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(200);
        }

        _data.Dispose();
    }
}
