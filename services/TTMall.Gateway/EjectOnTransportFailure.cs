using System.Runtime.CompilerServices;
using TTMall.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace TTMall.Gateway;

/// <summary>
/// Passive health: a destination that fails to accept or answer a request is taken out at once (YARP's own
/// policy waits for a failure rate over a window). It comes back after the reactivation period, or sooner when an
/// active /health probe sent after its last failure passes (<see cref="ProbeDecides"/>).
/// </summary>
public sealed class EjectOnTransportFailure(IDestinationHealthUpdater health, TimeProvider time, ILogger<EjectOnTransportFailure> logger) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "EjectOnTransportFailure";

    private readonly ConditionalWeakTable<DestinationState, StrongBox<long>> _lastFailure = new();

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is { } error && IsTransportFailure(error))
        {
            var period = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? TimeSpan.FromSeconds(5);
            logger.LogWarning("Destination {Destination} ({Address}) of {Cluster} failed a request ({Error}: {Reason}); taken out for up to {Period} s.",
                destination.DestinationId, destination.Model.Config.Address, cluster.ClusterId, error.Error, error.Exception?.Message, period.TotalSeconds);
            _lastFailure.AddOrUpdate(destination, new StrongBox<long>(time.GetTimestamp()));
            health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, period);
        }
    }

    /// <summary>Whether the destination's last failed request (the latest reason for its ejection) is older than <paramref name="age"/>.</summary>
    public bool LastEjectedLongerAgoThan(DestinationState destination, TimeSpan age) =>
        !_lastFailure.TryGetValue(destination, out var at) || time.GetElapsedTime(at.Value) > age;

    /// <summary>The destination could not be reached or broke off: not a client's cancellation, not a slow answer.</summary>
    public static bool IsTransportFailure(IForwarderErrorFeature error) => error.Error switch
    {
        ForwarderError.Request => RepeatableRequests.NothingWasSent(error.Exception) || error.Exception is HttpRequestException,
        ForwarderError.ResponseBodyDestination or ForwarderError.RequestBodyDestination => true,
        _ => false,
    };
}
