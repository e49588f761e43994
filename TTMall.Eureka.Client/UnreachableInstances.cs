using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TTMall.Eureka;

namespace TTMall.Eureka.Client;

/// <summary>
/// Registered instances that refused a connection, or left a request unanswered (<see cref="UnreachableEndpointReporter"/>
/// reports them): set aside at once, and probed every quarter of a second (a connection, or their health check URL)
/// until they answer again. Readers get a change token that fires whenever one is set aside or taken back. The probe
/// loop never ends for anything an instance does.
/// </summary>
public sealed class UnreachableInstances(
    EurekaRegistry registry,
    IOptions<EurekaClientOptions> options,
    TimeProvider time,
    ILogger<UnreachableInstances> logger) : BackgroundService
{
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(500);

    private static readonly HttpClient Prober = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = ProbeTimeout })
    {
        Timeout = ProbeTimeout,
    };

    /// <summary>Endpoints set aside, and the health URL that must answer before they are routed to again (null: a connection must be accepted).</summary>
    private readonly ConcurrentDictionary<(string Host, int Port), Uri?> _unreachable = new();
    private readonly ChangeSignal _changed = new();

    /// <summary>Fires when an instance is set aside or taken back.</summary>
    public IChangeToken ChangeToken => _changed.Token;

    public bool IsUnreachable(InstanceInfo instance) =>
        instance.BaseUri is { } uri && _unreachable.ContainsKey((uri.Host, uri.Port));

    /// <summary>The <paramref name="candidates"/> not set aside; all of them when every one is, since trying them beats failing without trying.</summary>
    public IReadOnlyList<InstanceInfo> Reachable(IReadOnlyList<InstanceInfo> candidates)
    {
        var reachable = candidates.Where(i => !IsUnreachable(i)).ToList();
        return reachable.Count > 0 ? reachable : candidates;
    }

    /// <summary>A connection to host:port was refused: route around it now, until it accepts connections again.</summary>
    public void ReportUnreachable(string host, int port)
    {
        // Only registered instances are routed around; a host outside the registry is not ours to watch.
        if (registry.InstanceAt(host, port) is not null && _unreachable.TryAdd((host, port), null))
        {
            logger.LogWarning("{Host}:{Port} refused a connection; routing around it until it answers.", host, port);
            _changed.Fire();
        }
    }

    /// <summary>
    /// A request to host:port got no answer in time (a frozen or stalled instance still accepts connections): route
    /// around it now, until its health check URL answers. An instance without one is left alone.
    /// </summary>
    public void ReportUnresponsive(string host, int port)
    {
        if (registry.InstanceAt(host, port)?.HealthCheckUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var health)
            && _unreachable.TryAdd((host, port), health))
        {
            logger.LogWarning("{Host}:{Port} did not answer a request in time; routing around it until {Health} answers.", host, port, health);
            _changed.Fire();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Without a registry nothing is routed by it, so nothing is set aside.
        options.Value.ShouldFetchRegistry
            ? BackgroundLoop.RunAsync("Probe of unanswering instances", ProbeEvery, ProbeAsync, logger, time, stoppingToken)
            : Task.CompletedTask;

    private async Task ProbeAsync(CancellationToken ct)
    {
        foreach (var ((host, port), health) in _unreachable)
        {
            if (registry.InstanceAt(host, port) is null)
            {
                // It left the registry: nothing will route to it, so there is nothing to probe.
                _unreachable.TryRemove((host, port), out _);
            }
            else if (await (health is null ? AcceptsConnectionsAsync(host, port, ct) : AnswersAsync(health, ct)) && _unreachable.TryRemove((host, port), out _))
            {
                logger.LogInformation("{Host}:{Port} answers again; routing to it.", host, port);
                _changed.Fire();
            }
        }
    }

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
}
