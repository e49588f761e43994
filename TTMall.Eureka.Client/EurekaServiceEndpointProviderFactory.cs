using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using TTMall.Eureka;

namespace TTMall.Eureka.Client;

/// <summary>
/// Resolves service names (<c>http://products</c>) to the routable instances in the Eureka registry, for
/// Microsoft.Extensions.ServiceDiscovery: each request goes to the next of them in turn, and the list is
/// refreshed the moment the registry or an instance's reachability changes. Host names and addresses
/// (<c>localhost</c>, <c>db.example.com</c>, <c>127.0.0.1</c>) are left to the pass-through provider.
/// </summary>
public sealed class EurekaServiceEndpointProviderFactory(
    EurekaRegistry registry, UnreachableInstances unreachable, IOptions<EurekaClientOptions> options) : IServiceEndpointProviderFactory
{
    private static readonly TimeSpan FirstFetchWait = TimeSpan.FromSeconds(5);

    public bool TryCreateProvider(ServiceEndpointQuery query, out IServiceEndpointProvider provider)
    {
        if (!IsServiceName(query.ServiceName))
        {
            provider = null!;
            return false;
        }

        provider = new Provider(query.ServiceName, registry, unreachable, this);
        return true;
    }

    /// <summary>The instances to send <paramref name="service"/>'s requests to: UP (when so configured) and not set aside as unreachable.</summary>
    public IReadOnlyList<InstanceInfo> RoutableInstances(string service) =>
        unreachable.Reachable([.. registry.Instances(service).Where(i => !options.Value.ShouldFilterOnlyUpInstances || i.EffectiveStatus == InstanceStatus.UP)]);

    public static bool IsServiceName(string name) =>
        !name.Contains('.') && !name.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(name, out _);

    private sealed class Provider(
        string service, EurekaRegistry registry, UnreachableInstances unreachable, EurekaServiceEndpointProviderFactory factory) : IServiceEndpointProvider
    {
        public async ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
        {
            // Take the tokens first: a change while reading must not be missed.
            endpoints.AddChangeToken(registry.ChangeToken);
            endpoints.AddChangeToken(unreachable.ChangeToken);
            if (!registry.HasFetched)
            {
                await registry.WaitForFirstFetchAsync(FirstFetchWait, cancellationToken);
            }

            var instances = factory.RoutableInstances(service);
            if (instances.Count == 0)
            {
                throw new InvalidOperationException(
                    $"No instance of '{service}' is UP in the Eureka registry{(registry.HasFetched ? "" : " (no registry fetched yet)")}.");
            }

            // Routable instances all have an address; one without is skipped, not dereferenced, should that ever change.
            foreach (var uri in instances.Select(i => i.BaseUri).OfType<Uri>())
            {
                endpoints.Endpoints.Add(ServiceEndpoint.Create(new DnsEndPoint(uri.Host, uri.Port)));
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public override string ToString() => $"Eureka({service})";
    }
}
