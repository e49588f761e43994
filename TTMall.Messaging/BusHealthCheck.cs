using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TTMall.Messaging;

/// <summary>
/// RabbitMQ's part in <c>/health</c>: never Unhealthy, since the service serves and writes to its outbox without it,
/// but Degraded while the bus is not connected, so the dashboard shows it. The bus connects in the background after
/// the host has started; until it first has (for at most <see cref="StartGrace"/>) it counts as starting, not
/// degraded, so a probe at start-up neither fails nor logs a warning.
/// </summary>
internal sealed class BusHealthCheck(IBusControl bus, TimeProvider time) : IHealthCheck
{
    public const string Name = "rabbitmq-bus";

    public static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(10);

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

        return Task.FromResult(!_wasReady && time.GetUtcNow() - _created < StartGrace
            ? HealthCheckResult.Healthy($"Connecting to RabbitMQ ({health.Description})")
            : HealthCheckResult.Degraded(health.Description, health.Exception));
    }
}
