namespace TTMall.Eureka.Client;

/// <summary>
/// <c>Eureka:Client:*</c>, named as Steeltoe names them so Steeltoe could replace this client without
/// configuration changes.
/// </summary>
public sealed class EurekaClientOptions
{
    public const string Section = "Eureka:Client";

    /// <summary>Off: no registration, no registry; service names cannot be resolved.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Server URLs, comma-separated, tried in order; the first that answers is kept until it fails. Each may carry the
    /// application's credential (<c>http://APP:password@localhost:8761/eureka/</c>), sent to that server as HTTP Basic.
    /// </summary>
    public string ServiceUrl { get; set; } = "http://localhost:8761/eureka/";

    public bool ShouldRegisterWithEureka { get; set; } = true;
    public bool ShouldFetchRegistry { get; set; } = true;

    /// <summary>Seconds between delta fetches; fractions allowed (the mall's local profile uses 0.5).</summary>
    public double RegistryFetchIntervalSeconds { get; set; } = 30;

    public bool ShouldFilterOnlyUpInstances { get; set; } = true;

    public IReadOnlyList<Uri> ServerUris =>
        [.. ServiceUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => new Uri(url.TrimEnd('/') + "/"))];
}
