using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;

namespace TTMall.Eureka.Client;

public static class EurekaClientExtensions
{
    /// <summary>
    /// This process registers with Eureka and resolves service names through it (unless <c>Eureka:Client:Enabled</c>
    /// is false: then only host names and configured endpoints resolve). It registers as <paramref name="appName"/> /
    /// <paramref name="instanceId"/> unless <c>Eureka:Instance:AppName</c> / <c>InstanceId</c> say otherwise.
    /// </summary>
    /// <returns>
    /// Whether the client is on: then HttpClients should carry <see cref="UnreachableEndpointReporter"/> after service
    /// discovery, so instances that do not answer are routed around.
    /// </returns>
    public static bool AddEurekaClient(this IHostApplicationBuilder builder, string appName, string instanceId)
    {
        var clientSection = builder.Configuration.GetSection(EurekaClientOptions.Section);
        builder.Services.Configure<EurekaClientOptions>(clientSection);
        builder.Services.Configure<EurekaInstanceOptions>(builder.Configuration.GetSection(EurekaInstanceOptions.Section));
        builder.Services.PostConfigure<EurekaInstanceOptions>(o =>
        {
            o.AppName ??= appName;
            o.InstanceId ??= instanceId;
        });
        var client = clientSection.Get<EurekaClientOptions>() ?? new EurekaClientOptions();
        if (!client.Enabled)
        {
            builder.Services.AddServiceDiscovery();
            return false;
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EurekaServers>();
        builder.Services.AddSingleton<EurekaRegistry>();
        builder.Services.AddSingleton<IServiceInstances>(provider => provider.GetRequiredService<EurekaRegistry>());
        builder.Services.AddHostedService(provider => provider.GetRequiredService<EurekaRegistry>());
        builder.Services.AddSingleton<UnreachableInstances>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<UnreachableInstances>());
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
        builder.Services.AddSingleton<EurekaServiceEndpointProviderFactory>();
        builder.Services.AddSingleton<IServiceEndpointProviderFactory>(provider => provider.GetRequiredService<EurekaServiceEndpointProviderFactory>());
        builder.Services.AddPassThroughServiceEndpointProvider();
        builder.Services.AddTransient<UnreachableEndpointReporter>();
        return true;
    }
}
