using TTMall.ServiceDefaults.Discovery;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace TTMall.Gateway;

/// <summary>
/// Passive health: a destination that fails to accept or answer a request is taken out at once (YARP's own
/// policy waits for a failure rate over a window). It comes back after the reactivation period, or sooner when an
/// active /health probe succeeds.
/// </summary>
public sealed class EjectOnTransportFailure(IDestinationHealthUpdater health, ILogger<EjectOnTransportFailure> logger) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "EjectOnTransportFailure";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is { } error && IsTransportFailure(error))
        {
            var period = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? TimeSpan.FromSeconds(5);
            logger.LogWarning("Destination {Destination} ({Address}) of {Cluster} failed a request ({Error}: {Reason}); taken out for up to {Period} s.",
                destination.DestinationId, destination.Model.Config.Address, cluster.ClusterId, error.Error, error.Exception?.Message, period.TotalSeconds);
            health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, period);
        }
    }

    /// <summary>The destination could not be reached or broke off: not a client's cancellation, not a slow answer.</summary>
    public static bool IsTransportFailure(IForwarderErrorFeature error) => error.Error switch
    {
        ForwarderError.Request => UnreachableEndpointReporter.IsConnectFailure(error.Exception) || error.Exception is HttpRequestException,
        ForwarderError.ResponseBodyDestination or ForwarderError.RequestBodyDestination => true,
        _ => false,
    };
}
