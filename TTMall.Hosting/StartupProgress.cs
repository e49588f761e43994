using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TTMall.Hosting;

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
