using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting;

/// <summary>The two registry peers, and what every other process needs to use them.</summary>
public sealed record MallDiscovery(IReadOnlyList<IResourceBuilder<ProjectResource>> Peers, IReadOnlyList<string> ServiceUrls)
{
    // The mall's local profile: a dead replica leaves the registry within seconds, a new one is seen within a second.
    public const int LeaseRenewalIntervalInSeconds = 1;
    public const int LeaseExpirationDurationInSeconds = 4;
    public const double RegistryFetchIntervalSeconds = 0.5;

    // A stopping replica serves on for two fetch intervals after leaving, so nobody routes to a closed port.
    public const double DrainSeconds = 1;

    /// <summary>Registers with both peers, resolves service names through them, and starts only once they serve.</summary>
    public IResourceBuilder<T> Use<T>(IResourceBuilder<T> resource) where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        resource
            .WithEnvironment("Eureka__Client__ServiceUrl", string.Join(",", ServiceUrls))
            .WithEnvironment("Eureka__Client__RegistryFetchIntervalSeconds", RegistryFetchIntervalSeconds.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Eureka__Instance__LeaseRenewalIntervalInSeconds", LeaseRenewalIntervalInSeconds.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Eureka__Instance__LeaseExpirationDurationInSeconds", LeaseExpirationDurationInSeconds.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Eureka__Instance__DrainSeconds", DrainSeconds.ToString(CultureInfo.InvariantCulture));
        foreach (var peer in Peers)
        {
            resource.WaitFor(peer);
        }

        return resource;
    }
}

public static class MallDiscoveryExtensions
{
    /// <summary>
    /// Two Eureka peers (<c>discovery1</c>, <c>discovery2</c>) at TTMall:Ports:Discovery1 and :Discovery2
    /// (8761 and 8762), each replicating to the other, with self-preservation off so a killed replica
    /// leaves the registry within its lease.
    /// </summary>
    public static MallDiscovery AddMallDiscovery<TProject>(this IDistributedApplicationBuilder builder, MallSettings settings)
        where TProject : IProjectMetadata, new()
    {
        int[] ports = [settings.Ports.Discovery1, settings.Ports.Discovery2];
        for (var i = 0; i < ports.Length; i++)
        {
            TcpPorts.EnsureFree(ports[i], $"discovery peer {i + 1}", $"TTMall:Ports:Discovery{i + 1}");
        }

        var urls = ports.Select(port => $"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}/eureka/").ToList();
        var peers = ports.Select((port, i) =>
        {
#pragma warning disable ASPIRECERTIFICATES001 // Evaluation API; the peers speak plain HTTP and need no certificate.
            var peer = builder.AddProject<TProject>($"discovery{i + 1}")
                .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
                .WithoutHttpsCertificate()
#pragma warning restore ASPIRECERTIFICATES001
                .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
                .WithEnvironment("Eureka__Client__Enabled", "false")
                .WithEnvironment("Discovery__SelfPreservation", "false")
                .WithHttpHealthCheck("/health");
            var others = urls.Where((_, j) => j != i).ToList();
            for (var j = 0; j < others.Count; j++)
            {
                peer.WithEnvironment($"Discovery__PeerUrls__{j}", others[j]);
            }

            return peer;
        }).ToList();

        return new MallDiscovery(peers, urls);
    }
}
