namespace TTMall.Discovery;

/// <summary>The registry server's settings (configuration section <c>Discovery</c>).</summary>
public sealed class DiscoveryOptions
{
    public const string Section = "Discovery";

    /// <summary>The other peers' service URLs, e.g. http://localhost:8762/eureka (comma-separated in one setting works too).</summary>
    public List<string> PeerUrls { get; set; } = [];

    /// <summary>Stop evicting when renewals in the last minute fall below <see cref="RenewalPercentThreshold"/> of those expected.</summary>
    public bool SelfPreservation { get; set; } = true;

    public double RenewalPercentThreshold { get; set; } = 0.85;

    /// <summary>How often expired leases are looked for.</summary>
    public int EvictionIntervalMs { get; set; } = 1000;

    /// <summary>How long a change stays in the delta.</summary>
    public int DeltaRetentionSeconds { get; set; } = 180;

    /// <summary>A registration beyond this many instances is refused (503), so a storm cannot exhaust memory.</summary>
    public int MaxInstances { get; set; } = 20_000;

    /// <summary>New registrations accepted per second from clients (replication is not limited); more get 429.</summary>
    public int RegistrationsPerSecond { get; set; } = 2_000;

    /// <summary>Largest request body accepted (413 beyond it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long a starting server waits for a peer's registry before serving an empty one.</summary>
    public int StartupSyncTimeoutMs { get; set; } = 3000;

    /// <summary>The peers, normalised: no trailing slash, this server's own URLs left out by the caller's configuration.</summary>
    public IReadOnlyList<Uri> Peers =>
        [.. PeerUrls
            .SelectMany(url => url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(url => new Uri(url.TrimEnd('/') + "/"))];
}
