using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TTMall.Hosting.Local;

/// <summary>What the local servers share.</summary>
internal static class LocalServers
{
    public static MallSetupException MissingPackage(string what, string packages) =>
        new($"the {what} is not installed. Install it with: sudo apt-get install {packages}   (./mall run installs what is missing)");

    /// <summary>Registers <paramref name="check"/> with the AppHost and makes it the resource's health in the dashboard.</summary>
    public static IResourceBuilder<T> WithLocalHealthCheck<T>(this IResourceBuilder<T> resource, IDistributedApplicationBuilder builder, IHealthCheck check)
        where T : IResource
    {
        var key = $"{resource.Resource.Name}-server";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, _ => check, failureStatus: null, tags: null));
        return resource.WithHealthCheck(key);
    }
}
