using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace TTMall.Gateway;

/// <summary>
/// Active health where every /health probe decides: a destination whose probe fails (or gets no answer within the
/// probe timeout) is taken out at once, and one whose probe passes is in, which also undoes an ejection by
/// <see cref="EjectOnTransportFailure"/> from before the probe was sent. So a replica that failed requests for a
/// moment and recovered (restarted on its port, a network blip) gets traffic again at its next passed probe, not
/// only when the passive reactivation period ends: YARP's own ConsecutiveFailures policy leaves passive health alone,
/// and a destination is routed to only when both its active and its passive health allow it.
/// It also says what changed, in place of YARP's own health logging (filtered out in <see cref="GatewayExtensions"/>),
/// which warns about every failed probe: a replica that was serving and fails is a warning; one that has not passed a
/// probe yet is starting (on a loaded machine its first answer can take longer than the probe timeout), which is
/// expected and said as information, as is a replica coming back.
/// </summary>
public sealed class ProbeDecides(IDestinationHealthUpdater health, EjectOnTransportFailure ejections, ILogger<ProbeDecides> logger) : IActiveHealthCheckPolicy
{
    public const string PolicyName = "ProbeDecides";

    public string Name => PolicyName;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        if (probingResults.Count == 0)
        {
            return;
        }

        // Every probe of this round was sent at most one probe timeout ago: an ejection older than that came before
        // the probe, so the probe's answer is newer news than the failure.
        var probeTimeout = cluster.Model.Config.HealthCheck?.Active?.Timeout ?? TimeSpan.FromSeconds(10);
        var states = new NewActiveDestinationHealth[probingResults.Count];
        for (var i = 0; i < probingResults.Count; i++)
        {
            var (destination, passed) = (probingResults[i].Destination, probingResults[i].Response is { IsSuccessStatusCode: true });
            states[i] = new NewActiveDestinationHealth(destination, passed ? DestinationHealth.Healthy : DestinationHealth.Unhealthy);
            LogChange(cluster, probingResults[i], destination.Health.Active, passed);
            if (passed && destination.Health.Passive == DestinationHealth.Unhealthy && ejections.LastEjectedLongerAgoThan(destination, probeTimeout))
            {
                logger.LogInformation("Destination {Destination} ({Address}) of {Cluster} passed its health probe; taken back.",
                    destination.DestinationId, destination.Model.Config.Address, cluster.ClusterId);
                health.SetPassive(cluster, destination, DestinationHealth.Healthy, TimeSpan.Zero);
            }
        }

        health.SetActive(cluster, states);
    }

    private void LogChange(ClusterState cluster, DestinationProbingResult result, DestinationHealth before, bool passed)
    {
        var destination = result.Destination;
        var why = result.Response is { } response ? $"answered {(int)response.StatusCode}" : result.Exception?.Message ?? "no answer";
        switch (before, passed)
        {
            case (DestinationHealth.Healthy, false):
                logger.LogWarning("Destination {Destination} ({Address}) of {Cluster} failed its health probe ({Reason}); not routed to until it passes one.",
                    destination.DestinationId, destination.Model.Config.Address, cluster.ClusterId, why);
                break;
            case (DestinationHealth.Unknown, false):
                logger.LogInformation("Destination {Destination} ({Address}) of {Cluster} has not passed a health probe yet ({Reason}); routed to once it does.",
                    destination.DestinationId, destination.Model.Config.Address, cluster.ClusterId, why);
                break;
            case (DestinationHealth.Unhealthy, true):
                logger.LogInformation("Destination {Destination} ({Address}) of {Cluster} passed its health probe; routed to again.",
                    destination.DestinationId, destination.Model.Config.Address, cluster.ClusterId);
                break;
        }
    }
}
