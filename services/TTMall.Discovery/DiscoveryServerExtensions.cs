using TTMall.Eureka;
using TTMall.Discovery.Registry;
using TTMall.Discovery.Replication;

namespace TTMall.Discovery;

public static class DiscoveryServerExtensions
{
    public static IHostApplicationBuilder AddDiscoveryServer(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DiscoveryOptions.Section);
        builder.Services.Configure<DiscoveryOptions>(section);
        var options = section.Get<DiscoveryOptions>() ?? new DiscoveryOptions();
        if (options.Secret.Length < DiscoveryCredentials.MinSecretLength)
        {
            // Without it no write could be checked: refuse to start rather than serve an open registry.
            throw new InvalidOperationException(
                $"Discovery:Secret is not set or shorter than {DiscoveryCredentials.MinSecretLength} characters; the AppHost gives it to the peers as its discovery-secret parameter.");
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<InstanceRegistry>();
        builder.Services.AddSingleton<RegistryOperations>();
        builder.Services.AddSingleton<RegistrationLimits>();
        builder.Services.AddSingleton<PeerClient>();
        builder.Services.AddSingleton<PeerReplicator>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<PeerReplicator>());
        builder.Services.AddHostedService<PeerSync>();
        builder.Services.AddHostedService<Eviction>();

        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        return builder;
    }
}
