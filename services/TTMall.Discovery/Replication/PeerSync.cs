using System.Text.Json;
using Microsoft.Extensions.Options;
using TTMall.Discovery.Registry;
using TTMall.Eureka;

namespace TTMall.Discovery.Replication;

/// <summary>
/// A starting server copies the registry from the first peer that answers, before it serves anything, so a
/// restarted peer does not hand clients an empty registry. Copied instances are not forwarded again.
/// </summary>
public sealed class PeerSync(
    IOptions<DiscoveryOptions> options,
    IHttpClientFactory httpClients,
    InstanceRegistry registry,
    ILogger<PeerSync> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(PeerReplicator.HttpClientName);
        foreach (var peer in options.Value.Peers)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.StartupSyncTimeoutMs);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peer, "apps"));
                request.Headers.Add(PeerReplicator.ReplicationHeader, "true");
                using var response = await http.SendAsync(request, timeout.Token);
                response.EnsureSuccessStatusCode();
                using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
                var instances = EurekaJson.ReadApplicationsDocument(document.RootElement).AllInstances.ToList();
                foreach (var instance in instances)
                {
                    registry.Register(instance);
                }

                logger.LogInformation("Copied {Count} instances from peer {Peer}.", instances.Count, peer);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogInformation("Peer {Peer} has no registry to copy ({Reason}).", peer, e.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
