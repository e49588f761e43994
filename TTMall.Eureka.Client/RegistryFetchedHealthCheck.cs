using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TTMall.Eureka.Client;

/// <summary>Healthy once the first registry has been fetched.</summary>
internal sealed class RegistryFetchedHealthCheck(EurekaRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.HasFetched ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("No registry fetched from Eureka yet."));
}
