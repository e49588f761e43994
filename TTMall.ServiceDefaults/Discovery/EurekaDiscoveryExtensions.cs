using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;

namespace TTMall.ServiceDefaults.Discovery;

public static class EurekaDiscoveryExtensions
{
    /// <summary>
    /// This process registers with Eureka and resolves service names through it (unless <c>Eureka:Client:Enabled</c>
    /// is false: then only host names and configured endpoints resolve).
    /// </summary>
    public static bool AddEurekaDiscovery(this IHostApplicationBuilder builder)
    {
        var clientSection = builder.Configuration.GetSection(EurekaClientOptions.Section);
        builder.Services.Configure<EurekaClientOptions>(clientSection);
        builder.Services.Configure<EurekaInstanceOptions>(builder.Configuration.GetSection(EurekaInstanceOptions.Section));
        var client = clientSection.Get<EurekaClientOptions>() ?? new EurekaClientOptions();
        if (!client.Enabled)
        {
            builder.Services.AddServiceDiscovery();
            return false;
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EurekaServers>();
        builder.Services.AddSingleton<EurekaRegistry>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<EurekaRegistry>());
        if (client.ShouldFetchRegistry)
        {
            // Not ready before the first registry fetch: until then no other service can be reached.
            builder.Services.AddHealthChecks().AddCheck<RegistryFetchedHealthCheck>("eureka-registry");
        }
        if (client.ShouldRegisterWithEureka)
        {
            builder.Services.AddSingleton<EurekaRegistration>();
            builder.Services.AddHostedService(provider => provider.GetRequiredService<EurekaRegistration>());
        }

        // Eureka first; names it does not claim (host names, addresses) pass through unchanged.
        builder.Services.AddServiceDiscoveryCore();
        builder.Services.AddSingleton<IServiceEndpointProviderFactory, EurekaServiceEndpointProviderFactory>();
        builder.Services.AddPassThroughServiceEndpointProvider();
        builder.Services.AddTransient<UnreachableEndpointReporter>();
        return true;
    }
}

/// <summary>Healthy once the first registry has been fetched.</summary>
internal sealed class RegistryFetchedHealthCheck(EurekaRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.HasFetched ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("No registry fetched from Eureka yet."));
}
