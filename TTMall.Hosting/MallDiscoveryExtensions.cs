using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting;

public static class MallDiscoveryExtensions
{
    /// <summary>
    /// Two Eureka peers (<c>discovery1</c>, <c>discovery2</c>) at TTMall:Ports:Discovery1 and :Discovery2
    /// (8761 and 8762), each replicating to the other, with self-preservation off so a killed replica
    /// leaves the registry within its lease. The discovery secret is an Aspire parameter, generated once and kept in the
    /// AppHost's user secrets; the peers get it whole (they check any application's credential with it), every other
    /// process only its own application's credential.
    /// </summary>
    public static MallDiscovery AddMallDiscovery<TProject>(this IDistributedApplicationBuilder builder, MallSettings settings)
        where TProject : IProjectMetadata, new()
    {
        int[] ports = [settings.Ports.Discovery1, settings.Ports.Discovery2];
        for (var i = 0; i < ports.Length; i++)
        {
            TcpPorts.EnsureFree(ports[i], $"discovery peer {i + 1}", $"TTMall:Ports:Discovery{i + 1}");
        }

        var secret = builder.AddParameter(MallDiscovery.SecretParameter, new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);
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
                .WithEnvironment("Discovery__Secret", secret)
                .WithEnvironment("Discovery__SelfPreservation", "false")
                .WithHttpHealthCheck("/health");
            var others = urls.Where((_, j) => j != i).ToList();
            for (var j = 0; j < others.Count; j++)
            {
                peer.WithEnvironment($"Discovery__PeerUrls__{j}", others[j]);
            }

            return peer;
        }).ToList();

        return new MallDiscovery(peers, urls, secret);
    }
}
