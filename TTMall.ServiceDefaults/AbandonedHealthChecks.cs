using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TTMall.ServiceDefaults;

/// <summary>
/// A health check cut short because whoever asked has gone (a probe that gave up after its timeout, on a loaded
/// machine at start-up) says nothing about the dependency it checks. Some checks (Entity Framework's) turn that
/// cancellation into an Unhealthy result, which the health service logs as an error; wrapped here, it stays what it
/// is, a cancelled request, which ASP.NET Core logs at debug level. A check that fails while the caller still waits is
/// reported as before.
/// </summary>
internal static class AbandonedHealthChecks
{
    public static IServiceCollection TreatAbandonedHealthChecksAsCancelled(this IServiceCollection services) =>
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations)
            {
                var factory = registration.Factory;
                registration.Factory = provider => new Check(factory(provider));
            }
        });

    private sealed class Check(IHealthCheck inner) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var result = await inner.CheckHealthAsync(context, cancellationToken);
            if (result.Status != HealthStatus.Healthy)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            return result;
        }
    }
}
