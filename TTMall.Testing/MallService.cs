using System.Globalization;

namespace TTMall.Testing;

/// <summary>
/// How a mall service finds the others and is found: Eureka's intervals, as the AppHost gives them to every service
/// (its local profile is <c>TTMall.Hosting.MallDiscovery</c>: fetch 0.5 s, heartbeat 1 s, lease 4 s, drain 1 s).
/// </summary>
public sealed record DiscoveryProfile(TimeSpan RegistryFetchInterval, TimeSpan LeaseRenewalInterval, TimeSpan LeaseExpiration, TimeSpan Drain);

/// <summary>
/// A mall service (products, orders, the gateway) as a <see cref="ServiceProcess"/> configured as the AppHost configures it:
/// registered with the discovery peers given, with the <see cref="DiscoveryProfile"/> given (or with discovery off), in Production, and
/// logging one line per entry to the console, each beginning with its time in UTC (see <see cref="LoggedAt"/>).
/// </summary>
public static class MallService
{
    /// <summary>
    /// The APIs a test's gateway routes, as the AppHost passes its gateway the services it runs. A test that runs only
    /// some of them sees the others as a service with no instance (503); any other /api/… is a 404.
    /// </summary>
    public static readonly IReadOnlyList<string> GatewayRoutes = ["products", "users", "carts"];

    /// <summary>How the services' console log lines begin (UTC), so one can tell when something was logged.</summary>
    public const string LogTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    /// <param name="project">The project under services/, e.g. <c>TTMall.Products</c>.</param>
    /// <param name="serviceName">Its name in discovery and telemetry, e.g. <c>products</c>.</param>
    /// <param name="instanceId">This replica's name, e.g. <c>products-1</c>.</param>
    /// <param name="eureka">The discovery peers' service URLs, comma-separated; the service gets them with its credential.</param>
    /// <param name="publicKeys">The JWK set access tokens are checked with (<c>Jwt:PublicKeys</c>); none for the gateway.</param>
    /// <param name="connectionStrings">The stores the service uses, by connection name (<c>productsdb</c>, <c>rabbitmq</c>, …).</param>
    public static ServiceProcess Create(
        string project, string serviceName, string instanceId, string eureka, DiscoveryProfile discovery, string? publicKeys,
        IReadOnlyDictionary<string, string>? connectionStrings)
    {
        var process = Configured(project, serviceName, instanceId, publicKeys, connectionStrings);
        process.Environment["Eureka__Client__ServiceUrl"] = TestDiscovery.ServiceUrls(eureka, serviceName);
        process.Environment["Eureka__Client__RegistryFetchIntervalSeconds"] = Seconds(discovery.RegistryFetchInterval);
        process.Environment["Eureka__Instance__LeaseRenewalIntervalInSeconds"] = Seconds(discovery.LeaseRenewalInterval);
        process.Environment["Eureka__Instance__LeaseExpirationDurationInSeconds"] = Seconds(discovery.LeaseExpiration);
        process.Environment["Eureka__Instance__DrainSeconds"] = Seconds(discovery.Drain);
        if (serviceName == "gateway")
        {
            for (var i = 0; i < GatewayRoutes.Count; i++)
            {
                process.Environment[$"Gateway__Services__{i}"] = GatewayRoutes[i];
            }
        }

        return process;
    }

    /// <summary>
    /// A service with Eureka off, finding the services it calls at the addresses given (<c>Services:&lt;name&gt;:http:N</c>,
    /// as service discovery's configuration provider reads them), for tests about something other than discovery
    /// (what a service process killed in the middle of its work leaves behind).
    /// </summary>
    /// <param name="services">The services it calls, by name, each with the base addresses of its replicas.</param>
    public static ServiceProcess CreateWithoutDiscovery(
        string project, string serviceName, string instanceId, string? publicKeys,
        IReadOnlyDictionary<string, string>? connectionStrings, IReadOnlyDictionary<string, IReadOnlyList<Uri>>? services = null)
    {
        var process = Configured(project, serviceName, instanceId, publicKeys, connectionStrings);
        process.Environment["Eureka__Client__Enabled"] = "false";
        foreach (var (name, replicas) in services ?? new Dictionary<string, IReadOnlyList<Uri>>())
        {
            for (var i = 0; i < replicas.Count; i++)
            {
                process.Environment[$"Services__{name}__http__{i}"] = replicas[i].ToString().TrimEnd('/');
            }
        }

        return process;
    }

    private static ServiceProcess Configured(
        string project, string serviceName, string instanceId, string? publicKeys, IReadOnlyDictionary<string, string>? connectionStrings)
    {
        var process = new ServiceProcess(project, instanceId)
        {
            Environment =
            {
                ["OTEL_SERVICE_NAME"] = serviceName,
                ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instanceId}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                // One line per entry, stamped in UTC: when a gateway saw a replica fail, when a replica was UP.
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
                ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
                ["Logging__Console__FormatterOptions__TimestampFormat"] = LogTimestampFormat,
            },
        };
        if (publicKeys is not null)
        {
            process.Environment["Jwt__PublicKeys"] = publicKeys;
        }

        foreach (var (name, value) in connectionStrings ?? new Dictionary<string, string>())
        {
            process.Environment[$"ConnectionStrings__{name}"] = value;
        }

        return process;
    }

    /// <summary>When a service logged <paramref name="line"/> (its console lines begin with a UTC timestamp).</summary>
    public static DateTime? LoggedAt(OutputLine line) =>
        line.Text.Length > 24 && DateTime.TryParseExact(line.Text[..24], LogTimestampFormat.TrimEnd(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
