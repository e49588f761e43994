using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TTMall.Eureka.Client;
using Yarp.ReverseProxy.Configuration;

namespace TTMall.Gateway;

/// <summary>
/// YARP's routes and clusters, live from the Eureka registry: /api/&lt;service&gt;/… goes to that service's UP
/// instances (a 503 problem while it has none), / to the frontend's, for the services and frontend the AppHost runs
/// (<see cref="GatewayOptions"/>). The configuration is rebuilt whenever the registry changes (its change token
/// is the configuration's), so a new replica is routed to within one registry fetch of being UP, and a cancelled
/// one is dropped as soon as the cancellation is fetched.
/// </summary>
public sealed class EurekaProxyConfigProvider(IServiceInstances instances, IOptions<GatewayOptions> options) : IProxyConfigProvider
{
    public const string PassivePolicy = EjectOnTransportFailure.PolicyName;

    public IProxyConfig GetConfig()
    {
        // Take the token before reading, so a change in between is not missed.
        var changed = instances.ChangeToken;
        var o = options.Value;
        var routes = o.Services.Select(service => new RouteConfig
        {
            RouteId = $"api-{service}",
            ClusterId = service,
            Order = 0,
            Match = new RouteMatch { Path = $"/api/{service}/{{**rest}}" },
        }).ToList();
        var clustered = o.Services.ToList();
        if (!string.IsNullOrEmpty(o.Frontend))
        {
            routes.Add(new RouteConfig
            {
                RouteId = "frontend",
                ClusterId = o.Frontend,
                Order = int.MaxValue,
                Match = new RouteMatch { Path = "/{**rest}" },
            });
            clustered.Add(o.Frontend);
        }

        var clusters = clustered.Select(service => Cluster(service, o)).ToList();
        return new Config(routes, clusters, changed);
    }

    private ClusterConfig Cluster(string service, GatewayOptions o) => new()
    {
        ClusterId = service,
        LoadBalancingPolicy = o.LoadBalancingPolicy,
        // Ids are unique in one application only: two applications may answer to one VIP address.
        Destinations = instances.UpInstances(service)
            .DistinctBy(i => i.InstanceId, StringComparer.Ordinal)
            .ToDictionary(i => i.InstanceId, i => new DestinationConfig { Address = i.BaseUri!.ToString() }, StringComparer.Ordinal),
        HealthCheck = new HealthCheckConfig
        {
            // One failed probe is enough to take a destination out (a replica that does not answer /health within a
            // second is not serving), one passed probe to bring it back.
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = o.HealthCheckInterval,
                Timeout = TimeSpan.FromSeconds(1),
                Policy = ProbeDecides.PolicyName,
                Path = "/health",
            },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = PassivePolicy,
                ReactivationPeriod = o.ReactivationPeriod,
            },
        },
    };

    private sealed class Config(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, IChangeToken changeToken) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes => routes;
        public IReadOnlyList<ClusterConfig> Clusters => clusters;
        public IChangeToken ChangeToken => changeToken;
    }
}
