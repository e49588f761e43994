using System.Diagnostics;
using System.Runtime.CompilerServices;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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

/// <summary>A replica that stopped without being asked to: its resource, its id (the dashboard's name for it), how it ended.</summary>
public sealed record ReplicaExit(string Resource, string ReplicaId, string State, int? ExitCode)
{
    /// <summary>One line: which replica, its exit code, and where its console log is (when this run has a dashboard).</summary>
    public string Describe(Uri? dashboard)
    {
        var replica = ReplicaId == Resource ? Resource : $"{Resource} replica {ReplicaId}";
        var how = State == KnownResourceStates.FailedToStart
            ? "failed to start"
            : ExitCode is { } code ? $"exited with code {code}" : "exited (exit code unknown)";
        var log = dashboard is null
            ? "no dashboard in this run to show its console log"
            : $"console log: {DashboardLinks.ConsoleLogs(dashboard, ReplicaId)}";
        return $"{replica} {how}; {log}";
    }
}

/// <summary>
/// Tells, update by update, when a replica's process has ended without anyone asking it to: a crash, a kill, an exit
/// of its own. A stop asked for (the dashboard's Stop or Restart, the AppHost shutting down) passes through
/// Stopping first, and a crash never does: the orchestrator only learns of a crash once the process is gone.
/// </summary>
public sealed class ReplicaExits
{
    private static readonly IReadOnlySet<string> Ended = KnownResourceStates.TerminalStates.ToHashSet();

    private readonly Dictionary<string, string?> _state = [];
    private readonly HashSet<string> _askedToStop = [];

    /// <summary>The exit <paramref name="update"/> shows, once per exit; null when it shows none or a stop asked for.</summary>
    public ReplicaExit? Observe(ResourceEvent update)
    {
        // Databases and other resources without a process of their own take their state from their server,
        // which is reported in their place.
        if (update.Resource is not (ProjectResource or ExecutableResource or ContainerResource))
        {
            return null;
        }

        var id = update.ResourceId;
        var state = update.Snapshot.State?.Text;
        var before = _state.GetValueOrDefault(id);
        _state[id] = state;

        if (state == KnownResourceStates.Stopping)
        {
            _askedToStop.Add(id);
        }
        else if (state == KnownResourceStates.Starting || state == KnownResourceStates.Running)
        {
            _askedToStop.Remove(id);
        }

        // Health and property updates repeat the ended state; the exit is said once.
        if (state is null || !Ended.Contains(state) || (before is not null && Ended.Contains(before)) || _askedToStop.Contains(id))
        {
            return null;
        }

        return new ReplicaExit(update.Resource.Name, id, state, update.Snapshot.ExitCode);
    }
}

/// <summary>
/// Says on the console when every resource is running and healthy, and how long it took; until then, every
/// 15 seconds, which resources are still on their way and in what state. From start to shutdown, a replica that
/// ends without being asked to is said at once, in a line of its own.
/// </summary>
internal sealed class StartupProgress(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    IServiceProvider services,
    ILogger<StartupProgress> logger) : BackgroundService
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(15);

    public static void Register(IDistributedApplicationBuilder builder) => builder.Services.AddHostedService<StartupProgress>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        var nextReport = DateTime.UtcNow + ReportEvery;
        var dashboard = DashboardLinks.Dashboard(configuration, services.GetService<DistributedApplicationOptions>());
        var readiness = new MallReadiness(model);
        var exits = new ReplicaExits();
        var up = false;
        // Stops with the first sign of shutdown, so that replicas stopped by it are not taken for crashes.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var update in notifications.WatchAsync(watching.Token))
            {
                if (exits.Observe(update) is { } exit)
                {
                    logger.LogWarning("{ReplicaExit}", exit.Describe(dashboard));
                }

                if (up)
                {
                    continue;
                }

                var waiting = readiness.Observe(update);
                var seconds = (DateTime.UtcNow - started).TotalSeconds;
                if (waiting.Count == 0)
                {
                    up = true;
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
            // The AppHost is stopping.
        }
    }
}
