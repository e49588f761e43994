using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting;

/// <summary>What every service of the mall stands on: the settings, discovery, and the key access tokens are signed with.</summary>
public sealed record MallPlatform(MallSettings Settings, MallDiscovery Discovery, IResourceBuilder<ParameterResource> TokenSigningKey);

public static class MallServiceExtensions
{
    /// <summary>
    /// Discovery (two Eureka peers) and the access-token signing key: an Aspire parameter, generated once and
    /// kept in the AppHost's user secrets, that the users service signs with and every service checks with.
    /// </summary>
    public static MallPlatform AddMallPlatform<TDiscovery>(this IDistributedApplicationBuilder builder, MallSettings settings)
        where TDiscovery : IProjectMetadata, new() =>
        new(settings,
            builder.AddMallDiscovery<TDiscovery>(settings),
            builder.AddParameter("jwt-signing-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true));

    /// <summary>
    /// Adds one of the mall's .NET services: an HTTP endpoint per replica, the configured number of replicas
    /// (TTMall:Replicas), its <c>/health</c> as its health in the dashboard, the AppHost's environment
    /// (Development under <c>./mall run</c>) and the token signing key; it registers with discovery and starts
    /// once the peers serve. Services speak plain HTTP inside the mall, so no developer certificate is needed.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMallService<TProject>(
        this IDistributedApplicationBuilder builder, string name, MallPlatform platform)
        where TProject : IProjectMetadata, new() =>
#pragma warning disable ASPIRECERTIFICATES001 // Evaluation API; without it the dashboard warns about a certificate nothing uses.
        platform.Discovery.Use(builder.AddProject<TProject>(name)
            .WithHttpEndpoint()
            .WithoutHttpsCertificate()
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("Jwt__SigningKey", platform.TokenSigningKey)
            .WithReplicas(platform.Settings.Replicas)
            .WithHttpHealthCheck("/health"));
#pragma warning restore ASPIRECERTIFICATES001

    /// <summary>
    /// The gateway: the mall's front door at http://localhost:TTMall:Ports:Gateway (8080), TTMall:Replicas
    /// replicas behind it, routing /api/&lt;service&gt;/… and / over the instances discovery knows.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMallGateway<TProject>(this IDistributedApplicationBuilder builder, MallPlatform platform)
        where TProject : IProjectMetadata, new()
    {
        TcpPorts.EnsureFree(platform.Settings.Ports.Gateway, "the gateway, the mall's front door", "TTMall:Ports:Gateway");
        // The orchestrator's proxy listens on the well-known port and spreads connections over the replicas.
        return builder.AddMallService<TProject>("gateway", platform)
            .WithEndpoint("http", endpoint => endpoint.Port = platform.Settings.Ports.Gateway);
    }

    /// <summary>Gives the service a connection string and starts it only once that store answers.</summary>
    public static IResourceBuilder<ProjectResource> WithStore(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString> store) =>
        service.WithReference(store).WaitFor(store);
}
