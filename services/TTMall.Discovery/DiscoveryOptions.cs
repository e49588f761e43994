namespace TTMall.Discovery;

/// <summary>The registry server's settings (configuration section <c>Discovery</c>).</summary>
public sealed class DiscoveryOptions
{
    public const string Section = "Discovery";

    /// <summary>
    /// The secret every discovery credential is derived from (<see cref="TTMall.Eureka.DiscoveryCredentials"/>): with it this
    /// server checks any application's credential, and proves itself to its peers. Required, at least 32 characters.
    /// </summary>
    public string Secret { get; set; } = "";

    /// <summary>The other peers' service URLs, e.g. http://localhost:8762/eureka (comma-separated in one setting works too).</summary>
    public List<string> PeerUrls { get; set; } = [];

    /// <summary>Stop evicting when renewals in the last minute fall below <see cref="RenewalPercentThreshold"/> of those expected.</summary>
    public bool SelfPreservation { get; set; } = true;

    public double RenewalPercentThreshold { get; set; } = 0.85;

    /// <summary>How often expired leases are looked for.</summary>
    public int EvictionIntervalMs { get; set; } = 1000;

    /// <summary>How long a change stays in the delta.</summary>
    public int DeltaRetentionSeconds { get; set; } = 180;

    /// <summary>A new instance beyond this many in the registry is refused (507), so a storm cannot exhaust memory.</summary>
    public int MaxInstances { get; set; } = 1_000;

    /// <summary>A new instance beyond this many in one application is refused (507).</summary>
    public int MaxInstancesPerApp { get; set; } = 100;

    /// <summary>
    /// The registry's instances together, as JSON, may be at most this large; a registration that would pass it is
    /// refused (507). It bounds the full document every reader fetches (the mall's own is about 25 KB).
    /// </summary>
    public int MaxRegistryBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// The changes kept for the delta, as JSON, may be at most this large; beyond it the oldest go first (a client that
    /// fetches within the retention time still sees every change while the registry is not flooded).
    /// </summary>
    public int MaxDeltaBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Registrations accepted per second, from clients (more get 429 with Retry-After) and, counted apart, from peers
    /// (more get 429 per item, and the peer sends them again after a pause).
    /// </summary>
    public int RegistrationsPerSecond { get; set; } = 100;

    /// <summary>Largest request body accepted (413 beyond it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How many operations wait for each peer; beyond it the oldest are dropped (a peer that comes back copies the registry anyway).</summary>
    public int MaxReplicationQueue { get; set; } = 10_000;

    /// <summary>
    /// How long a peer may take no replication (unreachable, answering 5xx or 429) before a warning says so. A shorter
    /// absence is expected, a peer starting after this one or stopping before it, and is logged as information only.
    /// </summary>
    public int PeerAbsenceWarningSeconds { get; set; } = 60;

    /// <summary>How long a starting server waits for a peer's registry before serving an empty one.</summary>
    public int StartupSyncTimeoutMs { get; set; } = 3000;

    /// <summary>The peers, normalised: no trailing slash, this server's own URLs left out by the caller's configuration.</summary>
    public IReadOnlyList<Uri> Peers =>
        [.. PeerUrls
            .SelectMany(url => url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(url => new Uri(url.TrimEnd('/') + "/"))];
}
