using System.Diagnostics;
using System.Runtime.CompilerServices;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TTMall.Hosting;

/// <summary>Whether every resource of the mall, each replica counted, is running and healthy.</summary>
public static class MallReadiness
{
    /// <summary>
    /// After each resource update, the resources still on their way, as "name (healthy/expected; states)";
    /// ends after the first empty list, when everything is up.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(
        DistributedApplicationModel model, ResourceNotificationService notifications, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var expected = model.Resources
            // Parameters have no process; explicitly started resources (such as project rebuilders) wait for a person.
            .Where(r => r is not ParameterResource && !r.Annotations.OfType<ExplicitStartupAnnotation>().Any())
            .ToDictionary(r => r.Name, r => r.GetReplicaCount());
        var latest = new Dictionary<string, ResourceEvent>();

        await foreach (var update in notifications.WatchAsync(cancellationToken))
        {
            latest[update.ResourceId] = update;
            var waiting = Waiting(expected, latest.Values);
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

    private static List<string> Waiting(Dictionary<string, int> expected, IEnumerable<ResourceEvent> latest)
    {
        var byResource = latest.ToLookup(e => e.Resource.Name);
        var waiting = new List<string>();
        foreach (var (name, replicas) in expected)
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

/// <summary>
/// Says on the console when every resource is running and healthy, and how long it took; until then, every
/// 15 seconds, which resources are still on their way and in what state.
/// </summary>
internal sealed class StartupProgress(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    IHostApplicationLifetime lifetime,
    ILogger<StartupProgress> logger) : BackgroundService
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(15);

    public static void Register(IDistributedApplicationBuilder builder) => builder.Services.AddHostedService<StartupProgress>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        var nextReport = DateTime.UtcNow + ReportEvery;
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var waiting in MallReadiness.WatchAsync(model, notifications, watching.Token))
            {
                var seconds = (DateTime.UtcNow - started).TotalSeconds;
                if (waiting.Count == 0)
                {
                    logger.LogInformation("TT Mall is up: every resource is running and healthy, {Seconds:F1} s after the AppHost started.", seconds);
                }
                else if (DateTime.UtcNow >= nextReport)
                {
                    nextReport = DateTime.UtcNow + ReportEvery;
                    logger.LogInformation("Still starting after {Seconds:F0} s: {Waiting}", seconds, string.Join(", ", waiting));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped before everything came up.
        }
    }
}
