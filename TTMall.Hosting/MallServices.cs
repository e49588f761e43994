using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting;

public static class MallServiceExtensions
{
    /// <summary>
    /// Adds one of the mall's .NET services: an HTTP endpoint per replica, the configured number of replicas
    /// (TTMall:Replicas), its <c>/health</c> as its health in the dashboard, and the AppHost's environment
    /// (Development under <c>./mall run</c>); it registers with discovery and starts once the peers serve.
    /// Services speak plain HTTP inside the mall, so no developer certificate is needed.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMallService<TProject>(
        this IDistributedApplicationBuilder builder, string name, MallDiscovery discovery)
        where TProject : IProjectMetadata, new() =>
#pragma warning disable ASPIRECERTIFICATES001 // Evaluation API; without it the dashboard warns about a certificate nothing uses.
        discovery.Use(builder.AddProject<TProject>(name)
            .WithHttpEndpoint()
            .WithoutHttpsCertificate()
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithReplicas(discovery.Settings.Replicas)
            .WithHttpHealthCheck("/health"));
#pragma warning restore ASPIRECERTIFICATES001

    /// <summary>Gives the service a connection string and starts it only once that store answers.</summary>
    public static IResourceBuilder<ProjectResource> WithStore(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString> store) =>
        service.WithReference(store).WaitFor(store);
}
