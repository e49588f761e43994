using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TTMall.Eureka;

namespace TTMall.ServiceDefaults.Discovery;

/// <summary>
/// This process's copy of the registry: a full fetch, then deltas every RegistryFetchIntervalSeconds, checked
/// against the server's apps hashcode (a mismatch means a full fetch). When no server answers, the last good copy
/// stays in use. Endpoints that refuse connections, or leave a request unanswered, are set aside at once and probed (a
/// connection, or their health check URL) until they answer again.
/// Readers get a change token that fires whenever what they would route to changes.
/// Registry data is untrusted: an instance that breaks <see cref="InstanceRules"/>, or has no address to route to, is kept
/// in the copy (it counts in the apps hashcode) but never routed to, with one warning; a document beyond
/// <see cref="EurekaJson.MaxDocumentBytes"/> or of the wrong shape is refused; and neither loop (fetching, probing) ends
/// for anything a server sends.
/// </summary>
public sealed class EurekaRegistry(
    EurekaServers servers,
    IOptions<EurekaClientOptions> options,
    TimeProvider time,
    ILogger<EurekaRegistry> logger) : BackgroundService
{
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(500);

    private readonly TaskCompletionSource _firstFetch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Endpoints set aside, and the health URL that must answer before they are routed to again (null: a connection must be accepted).</summary>
    private readonly ConcurrentDictionary<(string Host, int Port), Uri?> _unreachable = new();
    private readonly Lock _lock = new();
    private Dictionary<string, Dictionary<string, InstanceInfo>> _apps = new(StringComparer.Ordinal);
    /// <summary>
    /// The instances in the copy that no one may route to, with why. Keyed by application and id, as the copy is: an id is
    /// unique within its application only, and a bad instance must not condemn (nor a good one clear) its namesake.
    /// </summary>
    private Dictionary<(string App, string Id), string> _unusable = [];
    private string _routingSignature = "";
    private CancellationTokenSource _changed = new();
    private bool _serversDown;

    public bool HasFetched => _firstFetch.Task.IsCompleted;

    /// <summary>Fires when the instances anyone would route to change (registry or reachability).</summary>
    public IChangeToken ChangeToken
    {
        get
        {
            lock (_lock)
            {
                return new CancellationChangeToken(_changed.Token);
            }
        }
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for the first registry fetch, so early requests are not refused for want of one.</summary>
    public Task WaitForFirstFetchAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _firstFetch.Task.WaitAsync(timeout, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>Instances whose VIP address (or, failing that, application name) is <paramref name="service"/>, case-insensitively.</summary>
    public IReadOnlyList<InstanceInfo> Instances(string service)
    {
        lock (_lock)
        {
            var byVip = Usable(_apps.Values.SelectMany(a => a.Values))
                .Where(i => i.VipAddress?.Split(',', StringSplitOptions.TrimEntries).Any(v => string.Equals(v, service, StringComparison.OrdinalIgnoreCase)) == true)
                .ToList();
            return byVip.Count > 0 || !_apps.TryGetValue(service.ToUpperInvariant(), out var app) ? byVip : [.. Usable(app.Values)];
        }
    }

    /// <summary>The instances to send <paramref name="service"/>'s requests to: UP (when so configured) and not refusing connections.</summary>
    public IReadOnlyList<InstanceInfo> RoutableInstances(string service)
    {
        var candidates = Instances(service)
            .Where(i => !options.Value.ShouldFilterOnlyUpInstances || i.EffectiveStatus == InstanceStatus.UP)
            .ToList();
        var reachable = candidates.Where(i => !IsUnreachable(i)).ToList();
        // When every instance refuses, trying them beats failing without trying.
        return reachable.Count > 0 ? reachable : candidates;
    }

    public bool IsUnreachable(InstanceInfo instance) =>
        instance.BaseUri is { } uri && _unreachable.ContainsKey((uri.Host, uri.Port));

    /// <summary>A connection to host:port was refused: route around it now, until it accepts connections again.</summary>
    public void ReportUnreachable(string host, int port)
    {
        // Only registered instances are routed around; a host outside the registry is not ours to watch.
        if (RegisteredInstance(host, port) is not null && _unreachable.TryAdd((host, port), null))
        {
            logger.LogWarning("{Host}:{Port} refused a connection; routing around it until it answers.", host, port);
            SignalChange();
        }
    }

    /// <summary>
    /// A request to host:port got no answer in time (a frozen or stalled instance still accepts connections): route
    /// around it now, until its health check URL answers. An instance without one is left alone.
    /// </summary>
    public void ReportUnresponsive(string host, int port)
    {
        if (RegisteredInstance(host, port)?.HealthCheckUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var health)
            && _unreachable.TryAdd((host, port), health))
        {
            logger.LogWarning("{Host}:{Port} did not answer a request in time; routing around it until {Health} answers.", host, port, health);
            SignalChange();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ShouldFetchRegistry)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.Value.RegistryFetchIntervalSeconds));
        await Task.WhenAll(
            BackgroundLoop.RunAsync("Registry fetch", interval, FetchAsync, logger, time, stoppingToken),
            BackgroundLoop.RunAsync("Probe of unanswering instances", ProbeEvery, ProbeUnreachableAsync, logger, time, stoppingToken));
    }

    private async Task FetchAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!HasFetched || !await ApplyDeltaAsync(stoppingToken))
            {
                await FetchFullAsync(stoppingToken);
            }

            if (_serversDown)
            {
                _serversDown = false;
                logger.LogInformation("Eureka answers again; registry fetches resumed.");
            }
        }
        catch (Exception e) when (e is HttpRequestException or JsonException && !stoppingToken.IsCancellationRequested)
        {
            if (!_serversDown)
            {
                _serversDown = true;
                logger.LogWarning("No Eureka server answers with a registry ({Reason}); routing on the last registry fetched.", e.Message);
            }
        }
    }

    private async Task FetchFullAsync(CancellationToken ct)
    {
        var full = await GetAsync("apps/", ct);
        var apps = new Dictionary<string, Dictionary<string, InstanceInfo>>(StringComparer.Ordinal);
        var unusable = new Dictionary<(string App, string Id), string>();
        foreach (var instance in full.AllInstances)
        {
            Take(apps, unusable, instance with { ActionType = null });
        }

        Replace(apps, unusable);
        _firstFetch.TrySetResult();
    }

    /// <returns>false when the delta does not reproduce the server's hashcode and a full fetch is needed.</returns>
    private async Task<bool> ApplyDeltaAsync(CancellationToken ct)
    {
        var delta = await GetAsync("apps/delta", ct);
        Dictionary<string, Dictionary<string, InstanceInfo>> apps;
        Dictionary<(string App, string Id), string> unusable;
        lock (_lock)
        {
            apps = _apps.ToDictionary(a => a.Key, a => new Dictionary<string, InstanceInfo>(a.Value, StringComparer.Ordinal), StringComparer.Ordinal);
            unusable = new Dictionary<(string App, string Id), string>(_unusable);
        }

        foreach (var instance in delta.AllInstances)
        {
            if (instance.ActionType == ActionType.DELETED)
            {
                if (apps.TryGetValue(instance.App, out var instances))
                {
                    instances.Remove(instance.InstanceId);
                }

                unusable.Remove((instance.App, instance.InstanceId));
            }
            else
            {
                Take(apps, unusable, instance with { ActionType = null });
            }
        }

        if (AppsHashCode.Compute(apps.Values.SelectMany(a => a.Values)) != delta.AppsHashCode)
        {
            return false;
        }

        Replace(apps, unusable);
        return true;
    }

    /// <summary>Puts an instance into a copy of the registry, noting when it is one no one may route to.</summary>
    private static void Take(Dictionary<string, Dictionary<string, InstanceInfo>> apps, Dictionary<(string App, string Id), string> unusable, InstanceInfo instance)
    {
        if (!apps.TryGetValue(instance.App, out var instances))
        {
            apps[instance.App] = instances = new Dictionary<string, InstanceInfo>(StringComparer.Ordinal);
        }

        instances[instance.InstanceId] = instance;
        // The rules let an instance have no port enabled (it is in the registry, not reachable); a reader has nowhere to send it anything.
        if ((InstanceRules.Problem(instance) ?? (instance.BaseUri is null ? "no enabled port gives it an address" : null)) is { } problem)
        {
            unusable[(instance.App, instance.InstanceId)] = problem;
        }
        else
        {
            unusable.Remove((instance.App, instance.InstanceId));
        }
    }

    private IEnumerable<InstanceInfo> Usable(IEnumerable<InstanceInfo> instances) => instances.Where(i => !_unusable.ContainsKey((i.App, i.InstanceId)));

    private async Task<Applications> GetAsync(string path, CancellationToken ct)
    {
        using var response = await servers.SendAsync(server => new HttpRequestMessage(HttpMethod.Get, new Uri(server, path)), ct);
        response.EnsureSuccessStatusCode();
        using var document = await EurekaJson.ParseAsync(response.Content, ct);
        return EurekaJson.ReadApplicationsDocument(document.RootElement);
    }

    private void Replace(Dictionary<string, Dictionary<string, InstanceInfo>> apps, Dictionary<(string App, string Id), string> unusable)
    {
        foreach (var (name, instances) in apps.Where(a => a.Value.Count == 0).ToList())
        {
            apps.Remove(name);
        }

        var signature = string.Join("|", apps.OrderBy(a => a.Key, StringComparer.Ordinal).SelectMany(a =>
            a.Value.Values.Where(i => !unusable.ContainsKey((a.Key, i.InstanceId))).OrderBy(i => i.InstanceId, StringComparer.Ordinal)
                .Select(i => $"{a.Key}/{i.InstanceId}/{i.EffectiveStatus}/{i.BaseUri}/{i.VipAddress}")));
        bool changed;
        Dictionary<(string App, string Id), string> before;
        lock (_lock)
        {
            before = _unusable;
            _apps = apps;
            _unusable = unusable;
            changed = signature != _routingSignature;
            _routingSignature = signature;
        }

        foreach (var ((app, id), problem) in unusable.Where(u => !before.ContainsKey(u.Key)))
        {
            // Shown: a bad id may hold line breaks or control characters that would forge or break log lines.
            logger.LogWarning("Not routing to instance {Id} of {App}: {Problem}.", InstanceRules.Shown(id), InstanceRules.Shown(app), problem);
        }

        if (changed)
        {
            SignalChange();
        }
    }

    private async Task ProbeUnreachableAsync(CancellationToken ct)
    {
        foreach (var ((host, port), health) in _unreachable)
        {
            if (RegisteredInstance(host, port) is null)
            {
                // It left the registry: nothing will route to it, so there is nothing to probe.
                _unreachable.TryRemove((host, port), out _);
            }
            else if (await (health is null ? AcceptsConnectionsAsync(host, port, ct) : AnswersAsync(health, ct)) && _unreachable.TryRemove((host, port), out _))
            {
                logger.LogInformation("{Host}:{Port} answers again; routing to it.", host, port);
                SignalChange();
            }
        }
    }

    private InstanceInfo? RegisteredInstance(string host, int port)
    {
        lock (_lock)
        {
            return Usable(_apps.Values.SelectMany(a => a.Values)).FirstOrDefault(i => i.BaseUri is { } uri && uri.Host == host && uri.Port == port);
        }
    }

    private static readonly HttpClient Prober = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = ProbeTimeout })
    {
        Timeout = ProbeTimeout,
    };

    private static async Task<bool> AnswersAsync(Uri health, CancellationToken ct)
    {
        try
        {
            using var response = await Prober.GetAsync(health, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(string host, int port, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ProbeTimeout);
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void SignalChange()
    {
        CancellationTokenSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        // Not disposed: change tokens handed out earlier still refer to it.
        previous.Cancel();
    }
}
