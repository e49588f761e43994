using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.ServiceDiscovery;

namespace TTMall.ServiceDefaults.Discovery;

/// <summary>
/// Resolves service names (<c>http://products</c>) to the routable instances in the Eureka registry, for
/// Microsoft.Extensions.ServiceDiscovery: each request goes to the next of them in turn, and the list is
/// refreshed the moment the registry or an instance's reachability changes. Host names and addresses
/// (<c>localhost</c>, <c>db.example.com</c>, <c>127.0.0.1</c>) are left to the pass-through provider.
/// </summary>
public sealed class EurekaServiceEndpointProviderFactory(EurekaRegistry registry) : IServiceEndpointProviderFactory
{
    private static readonly TimeSpan FirstFetchWait = TimeSpan.FromSeconds(5);

    public bool TryCreateProvider(ServiceEndpointQuery query, out IServiceEndpointProvider provider)
    {
        if (!IsServiceName(query.ServiceName))
        {
            provider = null!;
            return false;
        }

        provider = new Provider(query.ServiceName, registry);
        return true;
    }

    public static bool IsServiceName(string name) =>
        !name.Contains('.') && !name.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(name, out _);

    private sealed class Provider(string service, EurekaRegistry registry) : IServiceEndpointProvider
    {
        public async ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
        {
            // Take the token first: a change while reading must not be missed.
            endpoints.AddChangeToken(registry.ChangeToken);
            if (!registry.HasFetched)
            {
                await registry.WaitForFirstFetchAsync(FirstFetchWait, cancellationToken);
            }

            var instances = registry.RoutableInstances(service);
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

/// <summary>
/// Sits after service discovery has picked an instance: when the connection to it fails, or the request sent to it
/// gets no answer before the attempt is given up (a frozen or stalled instance), the instance is set aside at once
/// (the registry probes it until it answers), so the retry and every later request go elsewhere.
/// </summary>
public sealed class UnreachableEndpointReporter(EurekaRegistry registry) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (IsConnectFailure(e) && request.RequestUri is { } uri)
        {
            registry.ReportUnreachable(uri.Host, uri.Port);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && request.RequestUri is { } uri)
        {
            // No response began before the attempt timed out (or its caller gave up: then the instance's health check
            // answers at the next probe and it is back within a quarter of a second).
            registry.ReportUnresponsive(uri.Host, uri.Port);
            throw;
        }
    }

    /// <summary>The connection was never made, so nothing of the request was sent: retrying it elsewhere is safe.</summary>
    public static bool IsConnectFailure(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
        || exception?.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
}
