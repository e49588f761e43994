using Aspire.Hosting;
using Microsoft.Extensions.Configuration;

namespace TTMall.Hosting;

/// <summary>Addresses of the Aspire dashboard's pages, from the address the AppHost gives the dashboard.</summary>
public static class DashboardLinks
{
    /// <summary>
    /// The dashboard's address: the first of the AppHost's ASPNETCORE_URLS (the launch profile's applicationUrl), as
    /// Aspire itself reads it when it starts the dashboard and prints its login URL; null when this run has no dashboard.
    /// </summary>
    public static Uri? Dashboard(IConfiguration configuration, DistributedApplicationOptions? options)
    {
        if (options?.DisableDashboard == true)
        {
            return null;
        }

        var first = configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return Uri.TryCreate(first, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? new Uri(url.GetLeftPart(UriPartial.Authority))
            : null;
    }

    /// <summary>
    /// The console-log page of one resource instance. The dashboard names a replica by its resource id
    /// (products-abcd1234), the same id resource notifications carry.
    /// </summary>
    public static Uri ConsoleLogs(Uri dashboard, string resourceId) =>
        new(dashboard, $"/consolelogs/resource/{Uri.EscapeDataString(resourceId)}");
}
