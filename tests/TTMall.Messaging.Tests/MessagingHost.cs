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

    public static async Task<MessagingHost> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IBusRegistrationConfigurator> consumers)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Development,
            ApplicationName = "TTMall.Messaging.Tests",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDatabase<TestDbContext>(TestDbContext.ConnectionName, "test effects");
        builder.AddServiceMessaging<TestDbContext>(consumers);
        var host = builder.Build();
        await host.StartAsync();
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
