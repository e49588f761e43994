using System.Runtime.CompilerServices;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TTMall.Hosting;

/// <summary>Whether every resource of the mall, each replica counted, is running and healthy.</summary>
public sealed class MallReadiness(DistributedApplicationModel model)
{
    private readonly Dictionary<string, int> _expected = model.Resources
        // Parameters have no process; explicitly started resources (such as project rebuilders) wait for a person.
        .Where(r => r is not ParameterResource && !r.Annotations.OfType<ExplicitStartupAnnotation>().Any())
        .ToDictionary(r => r.Name, r => r.GetReplicaCount());

    private readonly Dictionary<string, ResourceEvent> _latest = [];

    /// <summary>
    /// After each resource update, the resources still on their way, as "name (healthy/expected; states)";
    /// ends after the first empty list, when everything is up.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(
        DistributedApplicationModel model, ResourceNotificationService notifications, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var readiness = new MallReadiness(model);
        await foreach (var update in notifications.WatchAsync(cancellationToken))
        {
            var waiting = readiness.Observe(update);
            yield return waiting;
            if (waiting.Count == 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Resolves when every resource is running and healthy.</summary>
    public static async Task WaitUntilAllHealthyAsync(DistributedApplicationModel model, ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        await foreach (var _ in WatchAsync(model, notifications, cancellationToken))
        {
        }
    }

    /// <summary>Takes in one resource update; returns the resources still on their way, empty when everything is up.</summary>
    public IReadOnlyList<string> Observe(ResourceEvent update)
    {
        _latest[update.ResourceId] = update;
        var byResource = _latest.Values.ToLookup(e => e.Resource.Name);
        var waiting = new List<string>();
        foreach (var (name, replicas) in _expected)
        {
            var instances = byResource[name].ToList();
            var healthy = instances.Count(e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy);
            if (healthy < replicas)
            {
                var states = instances.Select(e => e.Snapshot.State?.Text ?? "pending").Distinct().DefaultIfEmpty("pending");
                waiting.Add($"{name} ({healthy}/{replicas} healthy; {string.Join("/", states)})");
            }
        }

        return waiting;
    }
}
