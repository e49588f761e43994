using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace TTMall.Messaging;

/// <summary>
/// RabbitMQ's part in <c>/health</c>: never Unhealthy, since the service serves and writes to its outbox without it,
/// but Degraded while the bus is not connected, so the dashboard shows it. The bus connects in the background after
/// the host has started; until it first has (for at most the grace, <see cref="GraceSetting"/>) it counts as
/// starting, not degraded, so a probe at start-up neither fails nor logs a warning. A hosted service, only so that it
/// is made, and its clock started, when the host starts.
/// </summary>
internal sealed class BusHealthCheck(IBusControl bus, TimeProvider time, TimeSpan grace) : IHealthCheck, IHostedService
{
    public const string Name = "rabbitmq-bus";

    /// <summary>How long a bus that has never connected counts as starting (a TimeSpan, <c>00:01:00</c>).</summary>
    public const string GraceSetting = "Messaging:ConnectGrace";

    /// <summary>A minute: a replica started with many others on a loaded two-core machine may take tens of seconds to connect.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(60);

    private readonly DateTimeOffset _created = time.GetUtcNow();
    private volatile bool _wasReady;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = bus.CheckHealth();
        if (health.Status == BusHealthStatus.Healthy)
        {
            _wasReady = true;
            return Task.FromResult(HealthCheckResult.Healthy(health.Description));
        }

        return Task.FromResult(!_wasReady && time.GetUtcNow() - _created < grace
            ? HealthCheckResult.Healthy($"Connecting to RabbitMQ ({health.Description})")
            : HealthCheckResult.Degraded(health.Description, health.Exception));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
