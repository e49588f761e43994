using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TTMall.Data;

namespace TTMall.Messaging.Tests;

/// <summary>A service as far as messaging goes: its database, the relay and MassTransit, wired as a service wires them.</summary>
public sealed class MessagingHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MessagingHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    /// <param name="waitForBus">Whether to wait until the bus is connected (RabbitMQ reachable) before returning.</param>
    public static async Task<MessagingHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings, Action<IBusRegistrationConfigurator> consumers, bool waitForBus = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Development,
            ApplicationName = "TTMall.Messaging.Tests",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        // AddServiceDatabase answers requests made while the database is away with a problem; this host takes none.
        builder.Services.AddProblemDetails();
        builder.AddServiceDatabase<TestDbContext>(TestDbContext.ConnectionName, "test effects");
        builder.AddServiceMessaging<TestDbContext>(consumers);
        var host = builder.Build();
        await host.StartAsync();
        // The bus connects in the background (a service starts while RabbitMQ is away); a test publishing at once
        // would otherwise publish before its queue is bound and lose the message, as no service ever does (queues last).
        if (!waitForBus)
        {
            return new MessagingHost(host);
        }

        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
        return new MessagingHost(host);
    }

    /// <summary>What <c>/health</c> would answer with: the status of every registered check.</summary>
    public Task<HealthReport> HealthAsync() => Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
