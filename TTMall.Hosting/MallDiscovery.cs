using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using TTMall.Eureka;

namespace TTMall.Hosting;

/// <summary>
/// The two registry peers, and what every other process needs to use them: their service URLs (without credentials) and
/// the secret every discovery credential is derived from (<see cref="DiscoveryCredentials"/>).
/// </summary>
public sealed record MallDiscovery(
    IReadOnlyList<IResourceBuilder<ProjectResource>> Peers, IReadOnlyList<string> ServiceUrls, IResourceBuilder<ParameterResource> Secret)
{
    /// <summary>The Aspire parameter (and user-secrets key <c>Parameters:discovery-secret</c>) that <c>./mall eureka-url</c> reads too.</summary>
    public const string SecretParameter = "discovery-secret";

    // The mall's local profile: a dead replica leaves the registry within seconds, a new one is seen within a second.
    public const int LeaseRenewalIntervalInSeconds = 1;
    public const int LeaseExpirationDurationInSeconds = 4;
    public const double RegistryFetchIntervalSeconds = 0.5;

    // A stopping replica serves on for two fetch intervals after leaving, so nobody routes to a closed port.
    public const double DrainSeconds = 1;

    /// <summary>
    /// Registers with both peers as the application named like the resource, with that application's credential in the
    /// service URLs; resolves service names through them, and starts only once they serve.
    /// </summary>
    public IResourceBuilder<T> Use<T>(IResourceBuilder<T> resource) where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        var app = resource.Resource.Name;
        resource
            .WithEnvironment("Eureka__Instance__AppName", app)
            .WithEnvironment(async context => context.EnvironmentVariables["Eureka__Client__ServiceUrl"] =
                string.Join(",", AppServiceUrls(await Secret.Resource.GetValueAsync(context.CancellationToken) ?? "", app)))
            .WithEnvironment("Eureka__Client__RegistryFetchIntervalSeconds", RegistryFetchIntervalSeconds.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Eureka__Instance__LeaseRenewalIntervalInSeconds", LeaseRenewalIntervalInSeconds.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Eureka__Instance__LeaseExpirationDurationInSeconds", LeaseExpirationDurationInSeconds.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Eureka__Instance__DrainSeconds", DrainSeconds.ToString(CultureInfo.InvariantCulture));
        foreach (var peer in Peers)
        {
            resource.WaitFor(peer);
        }

        return resource;
    }

    /// <summary>The peers' service URLs with <paramref name="app"/>'s credential, as <c>./mall eureka-url APP</c> prints them.</summary>
    public IEnumerable<string> AppServiceUrls(string secret, string app) =>
        ServiceUrls.Select(url => DiscoveryCredentials.AppServiceUrl(url, secret, app));
}
