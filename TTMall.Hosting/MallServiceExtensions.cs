using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting;

public static class MallServiceExtensions
{
    /// <summary>
    /// Discovery (two Eureka peers) and the access-token keys (<see cref="AccessTokenKeys"/>): the users service
    /// signs with the private key, every other service checks with the public ones.
    /// </summary>
    public static MallPlatform AddMallPlatform<TDiscovery>(this IDistributedApplicationBuilder builder, MallSettings settings)
        where TDiscovery : IProjectMetadata, new() =>
        new(settings,
            builder.AddMallDiscovery<TDiscovery>(settings),
            AccessTokenKeys.Add(builder));

    /// <summary>
    /// Adds one of the mall's .NET services: an HTTP endpoint per replica, the configured number of replicas
    /// (TTMall:Replicas), its <c>/health</c> as its health in the dashboard, the AppHost's environment
    /// (Development under <c>./mall run</c>) and the public keys access tokens are checked with; it registers with
    /// discovery and starts once the peers serve. Services speak plain HTTP inside the mall, so no developer
    /// certificate is needed.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMallService<TProject>(
        this IDistributedApplicationBuilder builder, string name, MallPlatform platform)
        where TProject : IProjectMetadata, new()
    {
        platform.Services.Add(name);
        return builder.AddMallProject<TProject>(name, platform)
            .WithEnvironment(async context => context.EnvironmentVariables["Jwt__PublicKeys"] = await platform.TokenKeys.PublicKeysAsync(context.CancellationToken));
    }

    /// <summary>The users service: the only one given the private key access tokens are signed with.</summary>
    public static IResourceBuilder<ProjectResource> WithAccessTokenSigning(this IResourceBuilder<ProjectResource> users, MallPlatform platform) =>
        users.WithEnvironment("Jwt__SigningKey", platform.TokenKeys.SigningKey);

    private static IResourceBuilder<ProjectResource> AddMallProject<TProject>(
        this IDistributedApplicationBuilder builder, string name, MallPlatform platform)
        where TProject : IProjectMetadata, new() =>
        platform.Discovery.Use(builder.AddPlainProject<TProject>(name).WithReplicas(platform.Settings.Replicas));

    /// <summary>A .NET process of the AppHost: plain HTTP, the AppHost's environment, its <c>/health</c> as its health.</summary>
    private static IResourceBuilder<ProjectResource> AddPlainProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new() =>
#pragma warning disable ASPIRECERTIFICATES001 // Evaluation API; without it the dashboard warns about a certificate nothing uses.
        builder.AddProject<TProject>(name)
            .WithHttpEndpoint()
            .WithoutHttpsCertificate()
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithHttpHealthCheck("/health");
#pragma warning restore ASPIRECERTIFICATES001

    /// <summary>
    /// The card network's sandbox payments charges through: outside the mall (one process, not in discovery, reached
    /// at the address the AppHost gives), with its own database and an API key generated once and kept as a secret
    /// parameter. <see cref="WithPaymentProvider"/> gives a service its address and key.
    /// </summary>
    public static PaymentProvider AddPaymentProvider<TProject>(this IDistributedApplicationBuilder builder, MallInfrastructure mall)
        where TProject : IProjectMetadata, new()
    {
        var apiKey = builder.AddParameter("payment-provider-api-key",
            new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
        var provider = builder.AddPlainProject<TProject>("payment-provider")
            .WithStore(mall.Database(MallInfrastructure.ProviderDb))
            .WithEnvironment("Provider__ApiKey", apiKey)
            .WithIconName("Payment");
        return new PaymentProvider(provider, apiKey);
    }

    public static IResourceBuilder<ProjectResource> WithPaymentProvider(this IResourceBuilder<ProjectResource> service, PaymentProvider provider) =>
        service
            .WithEnvironment("Payments__Provider__Url", provider.Process.GetEndpoint("http"))
            .WithEnvironment("Payments__Provider__ApiKey", provider.ApiKey)
            .WaitFor(provider.Process);

    /// <summary>
    /// The gateway: the mall's front door at http://localhost:TTMall:Ports:Gateway (8080), TTMall:Replicas
    /// replicas behind it, routing /api/&lt;service&gt;/… over the instances discovery knows, for exactly the services
    /// added with <see cref="AddMallService"/> (before or after it): a service is one line in the AppHost.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMallGateway<TProject>(this IDistributedApplicationBuilder builder, MallPlatform platform)
        where TProject : IProjectMetadata, new()
    {
        TcpPorts.EnsureFree(platform.Settings.Ports.Gateway, "the gateway, the mall's front door", "TTMall:Ports:Gateway");
        // Not the orchestrator's proxy, which would make every shopper look like the proxy to the rate limits: each
        // replica listens on the well-known port itself (SO_REUSEPORT), and the kernel spreads connections over them.
        var frontDoor = $"http://localhost:{platform.Settings.Ports.Gateway}";
        // It checks no token, so it is given no key.
        return builder.AddMallProject<TProject>("gateway", platform)
            .WithEnvironment("Gateway__FrontDoorUrl", frontDoor)
            .WithEnvironment(context =>
            {
                for (var i = 0; i < platform.Services.Count; i++)
                {
                    context.EnvironmentVariables[$"Gateway__Services__{i}"] = platform.Services[i];
                }
            })
            .WithUrl(frontDoor, "front door");
    }

    /// <summary>Gives the service a connection string and starts it only once that store answers.</summary>
    public static IResourceBuilder<ProjectResource> WithStore(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString> store) =>
        service.WithReference(store).WaitFor(store);
}
