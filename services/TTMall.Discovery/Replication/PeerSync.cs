using Microsoft.Extensions.Options;
using TTMall.Discovery.Registry;
using TTMall.Eureka;

namespace TTMall.Discovery.Replication;

/// <summary>
/// A starting server copies the registry from the first peer that answers, before it serves anything, so a
/// restarted peer does not hand clients an empty registry. Copied instances are not forwarded again; each is checked
/// as any registration is, and one the rules refuse is left out. A peer that answers nothing usable is no reason not to start.
/// </summary>
public sealed class PeerSync(
    IOptions<DiscoveryOptions> options,
    PeerClient peers,
    InstanceRegistry registry,
    ILogger<PeerSync> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var peer in options.Value.Peers)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.StartupSyncTimeoutMs);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peer, "apps"));
                request.Headers.Add(PeerReplicator.ReplicationHeader, "true");
                using var response = await peers.Http.SendAsync(request, timeout.Token);
                response.EnsureSuccessStatusCode();
                using var document = await EurekaJson.ParseAsync(response.Content, timeout.Token);
                var instances = EurekaJson.ReadApplicationsDocument(document.RootElement).AllInstances.ToList();
                var refused = instances.Select(registry.Register).Where(r => r.Outcome != RegisterOutcome.Registered).ToList();
                if (refused.Count > 0)
                {
                    logger.LogWarning("Left out {Refused} of the {Count} instances peer {Peer} holds, for example: {Reason}", refused.Count, instances.Count, peer, refused[0].Reason);
                }

                logger.LogInformation("Copied {Count} instances from peer {Peer}.", instances.Count - refused.Count, peer);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogInformation("Peer {Peer} has no registry to copy ({Reason}).", peer, e.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
