using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TTMall.Eureka;

namespace TTMall.Eureka.Client;

/// <summary>
/// This process's copy of the registry: a full fetch, then deltas every RegistryFetchIntervalSeconds, checked
/// against the server's apps hashcode (a mismatch means a full fetch). When no server answers, the last good copy
/// stays in use. Readers get a change token that fires whenever what they would route to changes.
/// Registry data is untrusted: an instance that breaks <see cref="InstanceRules"/>, or has no address to route to, is kept
/// in the copy (it counts in the apps hashcode) but never routed to, with one warning; a document beyond
/// <see cref="EurekaJson.MaxDocumentBytes"/> or of the wrong shape is refused; and the fetch loop never ends for anything
/// a server sends. (Instances that do not answer are <see cref="UnreachableInstances"/>' concern.)
/// </summary>
public sealed class EurekaRegistry(
    EurekaServers servers,
    IOptions<EurekaClientOptions> options,
    TimeProvider time,
    ILogger<EurekaRegistry> logger) : BackgroundService, IServiceInstances
{
    private readonly TaskCompletionSource _firstFetch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ChangeSignal _changed = new();
    private readonly Lock _lock = new();
    private Dictionary<string, Dictionary<string, InstanceInfo>> _apps = new(StringComparer.Ordinal);
    /// <summary>
    /// The instances in the copy that no one may route to, with why. Keyed by application and id, as the copy is: an id is
    /// unique within its application only, and a bad instance must not condemn (nor a good one clear) its namesake.
    /// </summary>
    private Dictionary<(string App, string Id), string> _unusable = [];
    private string _routingSignature = "";
    private bool _serversDown;

    public bool HasFetched => _firstFetch.Task.IsCompleted;

    /// <summary>Fires when the instances anyone would route to change.</summary>
    public IChangeToken ChangeToken => _changed.Token;

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

    public IReadOnlyList<InstanceInfo> UpInstances(string service) =>
        [.. Instances(service).Where(i => i.EffectiveStatus == InstanceStatus.UP && i.BaseUri is not null)];

    /// <summary>The instance in the copy that may be routed to at host:port, if any.</summary>
    public InstanceInfo? InstanceAt(string host, int port)
    {
        lock (_lock)
        {
            return Usable(_apps.Values.SelectMany(a => a.Values)).FirstOrDefault(i => i.BaseUri is { } uri && uri.Host == host && uri.Port == port);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ShouldFetchRegistry)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.Value.RegistryFetchIntervalSeconds));
        await BackgroundLoop.RunAsync("Registry fetch", interval, FetchAsync, logger, time, stoppingToken);
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
            _changed.Fire();
        }
    }
}
