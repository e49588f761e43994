using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TTMall.Eureka;

namespace TTMall.Gateway.Tests;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<MallCluster>
{
    public const string Name = "mall cluster";
}

/// <summary>
/// A small mall of real processes, shared by every test: Postgres (with Redis and RabbitMQ, as the AppHost starts
/// them), two discovery peers, two products replicas and two gateway replicas, each its own process on a loopback
/// port, configured as the AppHost configures them (the mall's local profile: heartbeat 1 s, lease 4 s, registry
/// fetch 0.5 s, drain 1 s). Tests kill and stop these processes; each test starts with
/// <see cref="EnsureAllRunningAsync"/>, so none depends on what the one before left behind.
/// </summary>
public sealed class MallCluster : IAsyncLifetime
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan EvictionInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(1);

    /// <summary>The mall's local profile: registry fetch 0.5 s, heartbeat 1 s, <see cref="Lease"/>, <see cref="DrainTime"/>.</summary>
    public static readonly DiscoveryProfile Discovery = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), Lease, DrainTime);

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private LocalMall? _mall;
    private DiscoveryPeer? _peerA;
    private DiscoveryPeer? _peerB;
    private readonly List<ServiceProcess> _products = [];
    private readonly List<ServiceProcess> _gateways = [];

    public DiscoveryPeer PeerA => _peerA ?? throw NotStarted();
    public DiscoveryPeer PeerB => _peerB ?? throw NotStarted();
    public IReadOnlyList<DiscoveryPeer> Peers => [PeerA, PeerB];

    /// <summary>products-1 and products-2; each names itself so in X-TTMall-Instance.</summary>
    public IReadOnlyList<ServiceProcess> Products => _products;

    /// <summary>gateway-1 and gateway-2; each names itself so in X-TTMall-Gateway.</summary>
    public IReadOnlyList<ServiceProcess> Gateways => _gateways;

    public IReadOnlyList<int> ProductIds { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var infrastructure = LocalMall.StartAsync();
        (_peerA, _peerB) = await DiscoveryPeer.StartPairAsync("--Discovery:SelfPreservation=false", $"--Discovery:EvictionIntervalMs={EvictionInterval.TotalMilliseconds}");
        _mall = await infrastructure;
        var eureka = $"{PeerA.EurekaUri},{PeerB.EurekaUri}";
        for (var i = 1; i <= 2; i++)
        {
            _products.Add(Service("TTMall.Products", "products", $"products-{i}", eureka, ProductsStores()));
            _gateways.Add(Service("TTMall.Gateway", "gateway", $"gateway-{i}", eureka, connectionStrings: null));
        }

        // Both replicas at once: the migrations and seed data take turns under their advisory lock.
        await Task.WhenAll(_products.Select(p => p.StartAsync()));
        await Task.WhenAll(_gateways.Select(g => g.StartAsync()));
        await WaitUntilEveryGatewayRoutesToEveryReplicaAsync();

        using var page = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Gateways[0].BaseUri, "api/products?pageSize=100")));
        ProductIds = [.. page.RootElement.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];
        Assert.NotEmpty(ProductIds);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _gateways.Concat(_products))
        {
            await process.DisposeAsync();
        }

        if (_peerA is not null)
        {
            await _peerA.DisposeAsync();
        }

        if (_peerB is not null)
        {
            await _peerB.DisposeAsync();
        }

        if (_mall is not null)
        {
            await _mall.DisposeAsync();
        }
    }

    public ServiceProcess Replica(string instanceId) => _products.Single(p => p.Name == instanceId);

    /// <summary>
    /// Starts one more products replica, <paramref name="instanceId"/>, registered in discovery at
    /// <paramref name="registeredPort"/> instead of the port it listens on (null: the same). The test stops it.
    /// </summary>
    public async Task<ServiceProcess> StartExtraProductsReplicaAsync(string instanceId, Func<int, int>? registeredPort = null)
    {
        var replica = Service("TTMall.Products", "products", instanceId, $"{PeerA.EurekaUri},{PeerB.EurekaUri}", ProductsStores());
        if (registeredPort is not null)
        {
            replica.Environment["Eureka__Instance__Port"] = registeredPort(replica.Port).ToString(CultureInfo.InvariantCulture);
        }

        await replica.StartAsync();
        return replica;
    }

    /// <summary>Waits (up to 5 s) until <paramref name="traffic"/> has been served 20 times by each products replica.</summary>
    public Task EveryReplicaServesAsync(Traffic traffic) =>
        Eventually.HoldsAsync(() => Products.All(p => traffic.ServedBy(p.Name) >= 20), TimeSpan.FromSeconds(5), "both replicas serve", Diagnostics);

    /// <summary>
    /// Starts whatever an earlier test killed or stopped (each on its old port), then waits until both peers know
    /// every replica as UP and every gateway routes to every products replica.
    /// </summary>
    public async Task EnsureAllRunningAsync()
    {
        foreach (var peer in Peers.Where(p => !p.IsRunning))
        {
            await peer.StartAsync();
        }

        await Task.WhenAll(_products.Concat(_gateways).Where(p => !p.IsRunning).Select(p => p.StartAsync()));
        await Eventually.HoldsAsync(async () =>
            {
                foreach (var peer in Peers)
                {
                    var instances = (await AppsAsync(peer)).AllInstances.ToList();
                    var up = instances.Where(i => i.EffectiveStatus == InstanceStatus.UP).Select(i => i.InstanceId).ToHashSet();
                    // Nor any other replica a test started (and a failed test may have left to its lease).
                    if (!_products.Concat(_gateways).All(p => up.Contains(p.Name)) || instances.Count != _products.Count + _gateways.Count)
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(10), "both peers list every replica as UP, and no other", Diagnostics);
        await WaitUntilEveryGatewayRoutesToEveryReplicaAsync();
    }

    private async Task WaitUntilEveryGatewayRoutesToEveryReplicaAsync()
    {
        foreach (var gateway in _gateways)
        {
            var seen = new HashSet<string>();
            await Eventually.HoldsAsync(async () =>
                {
                    try
                    {
                        using var response = await Http.GetAsync(new Uri(gateway.BaseUri, "api/products/categories"));
                        if (response.IsSuccessStatusCode && response.Headers.TryGetValues("X-TTMall-Instance", out var names))
                        {
                            seen.Add(names.First());
                        }
                    }
                    catch (HttpRequestException)
                    {
                    }

                    return _products.All(p => seen.Contains(p.Name));
                },
                TimeSpan.FromSeconds(10), $"{gateway.Name} routes to every products replica", Diagnostics);
        }
    }

    /// <summary>The instance as <paramref name="peer"/> has it, or null when it does not know it (or does not answer).</summary>
    public static async Task<InstanceInfo?> InstanceAsync(DiscoveryPeer peer, string app, string id)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peer.EurekaUri, $"apps/{app}/{Uri.EscapeDataString(id)}"));
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            response.EnsureSuccessStatusCode();
            return EurekaJson.ReadInstanceDocument(await response.Content.ReadFromJsonAsync<JsonElement>());
        }
        catch (HttpRequestException) when (!peer.IsRunning)
        {
            return null;
        }
    }

    public static async Task<Applications> AppsAsync(DiscoveryPeer peer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peer.EurekaUri, "apps"));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return EurekaJson.ReadApplicationsDocument(await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Every process's recent output, for failure messages.</summary>
    public string Diagnostics() => string.Join("\n\n", _gateways.Concat(_products).Select(p =>
        $"--- {p.Name} (port {p.Port}, {(p.IsRunning ? "running" : "not running")}):\n{Tail(p.Log)}"));

    private static string Tail(string log, int lines = 40) => string.Join("\n", log.Split('\n').TakeLast(lines));

    private static ServiceProcess Service(
        string project, string serviceName, string instanceId, string eureka, IReadOnlyDictionary<string, string>? connectionStrings) =>
        MallService.Create(project, serviceName, instanceId, eureka, Discovery,
            // The gateway holds no key and checks no token; the services check with the users service's public key.
            serviceName == "gateway" ? null : TestTokens.PublicKeys, connectionStrings);

    /// <summary>Products' database and the broker its stock events go through.</summary>
    private Dictionary<string, string> ProductsStores() => new()
    {
        ["productsdb"] = _mall!.ConnectionString("productsdb"),
        ["rabbitmq"] = _mall.ConnectionString("rabbitmq"),
    };

    private static InvalidOperationException NotStarted() => new("The cluster is not started.");
}
