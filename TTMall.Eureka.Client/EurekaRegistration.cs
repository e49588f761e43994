using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TTMall.Eureka;

namespace TTMall.Eureka.Client;

/// <summary>
/// This process in the registry: registered as STARTING while it starts, UP once its health check URL answers, a heartbeat every
/// LeaseRenewalIntervalInSeconds (registering again when a server has forgotten it), and cancelled as soon as
/// the process begins to stop, before it stops serving, so clients stop choosing it first; then it serves on for
/// DrainSeconds before the host goes on to stop the server.
/// </summary>
public sealed class EurekaRegistration(
    EurekaServers servers,
    IOptions<EurekaInstanceOptions> instanceOptions,
    IServer server,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<EurekaRegistration> logger,
    IServiceProvider services) : BackgroundService, IHostedLifecycleService
{
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstFetchWait = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private InstanceInfo? _instance;
    private bool _cancelled;

    /// <summary>What this process registered (null before the first registration).</summary>
    public InstanceInfo? Instance => _instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var port = ConfiguredPort();
        if (port is not null)
        {
            await RegisterAsync(Describe(port.Value, InstanceStatus.STARTING), stoppingToken);
        }

        // A start can outlast the lease (migrations waiting for their lock, warm-up): the STARTING registration is
        // renewed meanwhile, or the server would evict it. A heartbeat in flight finishes before UP is registered,
        // so its status=STARTING cannot overtake the UP.
        bool started;
        using (var starting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            var renewing = HeartbeatsAsync(starting.Token, stoppingToken);
            started = await BackgroundLoop.HostStartedAsync(lifetime, stoppingToken);
            if (started)
            {
                await WaitUntilAnsweringAsync(Describe(ListeningPort() ?? port ?? 0, InstanceStatus.UP), stoppingToken);
            }

            await starting.CancelAsync();
            await renewing;
        }

        if (!started)
        {
            return;
        }

        await RegisterAsync(Describe(ListeningPort() ?? port ?? 0, InstanceStatus.UP), stoppingToken);
        await HeartbeatsAsync(stoppingToken, stoppingToken);
    }

    /// <summary>A heartbeat every LeaseRenewalIntervalInSeconds until <paramref name="until"/>, each one carried out under <paramref name="stoppingToken"/>.</summary>
    private async Task HeartbeatsAsync(CancellationToken until, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, instanceOptions.Value.LeaseRenewalIntervalInSeconds));
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(until))
            {
                await HeartbeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (until.IsCancellationRequested)
        {
        }
    }

    /// <summary>The instance as registered: Steeltoe's settings where given, the running process otherwise.</summary>
    public InstanceInfo Describe(int port, InstanceStatus status)
    {
        var o = instanceOptions.Value;
        // Both are set by AddEurekaClient when configuration leaves them out.
        var appName = o.AppName!.ToUpperInvariant();
        var host = o.PreferIPAddress ? o.IPAddress : o.HostName ?? "localhost";
        var baseUrl = $"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}";
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new InstanceInfo
        {
            InstanceId = o.InstanceId!,
            App = appName,
            HostName = host,
            IpAddr = o.IPAddress,
            Status = status,
            Port = port,
            VipAddress = o.VipAddress ?? appName.ToLowerInvariant(),
            SecureVipAddress = o.VipAddress ?? appName.ToLowerInvariant(),
            HomePageUrl = baseUrl + "/",
            StatusPageUrl = baseUrl + o.StatusPageUrlPath,
            HealthCheckUrl = baseUrl + o.HealthCheckUrlPath,
            LeaseInfo = new LeaseInfo { RenewalIntervalInSecs = o.LeaseRenewalIntervalInSeconds, DurationInSecs = o.LeaseExpirationDurationInSeconds },
            Metadata = o.MetadataMap,
            LastDirtyTimestamp = now,
            LastUpdatedTimestamp = now,
        };
    }

    private async Task RegisterAsync(InstanceInfo instance, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_cancelled)
            {
                return;
            }

            _instance = instance;
            using var response = await servers.SendAsync(server => new HttpRequestMessage(HttpMethod.Post, new Uri(server, $"apps/{instance.App}"))
            {
                Content = new ByteArrayContent(EurekaJson.InstanceDocument(instance)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            }, ct);
            if (response.IsSuccessStatusCode)
            {
                logger.LogInformation("Registered {App}/{Id} at {Url} as {Status}.", instance.App, instance.InstanceId, instance.HomePageUrl, instance.Status);
            }
            else
            {
                logger.LogWarning("Eureka refused to register {App}/{Id}: {Status} {Reason}", instance.App, instance.InstanceId, (int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
            }
        }
        // Whatever a server answers (or fails to), the process goes on: the next heartbeat tries again.
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not register {App}/{Id}: {Reason}. The next heartbeat tries again.", instance.App, instance.InstanceId, e.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        if (_instance is not { } instance || _cancelled)
        {
            return;
        }

        try
        {
            var path = $"apps/{instance.App}/{Uri.EscapeDataString(instance.InstanceId)}?status={instance.Status}&lastDirtyTimestamp={instance.LastDirtyTimestamp}";
            using var response = await servers.SendAsync(server => new HttpRequestMessage(HttpMethod.Put, new Uri(server, path)), ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                logger.LogInformation("Eureka does not know {App}/{Id}; registering again.", instance.App, instance.InstanceId);
                await RegisterAsync(instance with { LastDirtyTimestamp = time.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogDebug("Heartbeat of {App}/{Id} failed: {Reason}", instance.App, instance.InstanceId, e.Message);
        }
    }

    /// <summary>
    /// Runs when the process begins to stop, before the server stops taking requests: leave the registry, then keep
    /// serving for DrainSeconds while clients and gateways fetch the registry and stop choosing this instance (its
    /// responses meanwhile close their connections: the service defaults' instance header middleware).
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var wasRegistered = _instance is not null && !_cancelled;
        try
        {
            try
            {
                // A registry that does not answer must not hold the stop up: the lease expires on its own.
                await CancelAsync().WaitAsync(LeaveTimeout, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("No Eureka server answered the cancellation within {Seconds} s; the lease expires on its own.", LeaveTimeout.TotalSeconds);
            }

            var drain = instanceOptions.Value.DrainSeconds;
            if (wasRegistered && drain > 0)
            {
                logger.LogInformation("Serving for {Seconds} s more while clients learn this instance is gone.", drain);
                await Task.Delay(TimeSpan.FromSeconds(drain), time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout ran out first: the stop goes on, drained or not.
        }
    }

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Leaves the registry (once). Runs when the application starts stopping, before the server stops taking requests.</summary>
    public async Task CancelAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_cancelled || _instance is not { } instance)
            {
                _cancelled = true;
                return;
            }

            _cancelled = true;
            using var response = await servers.SendAsync(
                server => new HttpRequestMessage(HttpMethod.Delete, new Uri(server, $"apps/{instance.App}/{Uri.EscapeDataString(instance.InstanceId)}")),
                CancellationToken.None);
            logger.LogInformation("Left the registry: {App}/{Id} ({Status}).", instance.App, instance.InstanceId, (int)response.StatusCode);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not leave the registry: {Reason}. The lease expires on its own.", e.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Waits until the instance's own health check URL answers at all (each try given 2 s), for at most
    /// <see cref="ReadyTimeout"/>: UP is what the gateway and the other services route to and probe within a second, and
    /// a replica's first request is slow (cold code, first connections to its stores), so its first probe would time out
    /// and it would be set aside. Its own first call warms the path theirs take. Past the limit it registers UP
    /// regardless: the probes decide.
    /// </summary>
    private async Task WaitUntilAnsweringAsync(InstanceInfo instance, CancellationToken stoppingToken)
    {
        // Its health counts the registry copy: asked before the first fetch, it would answer (and log) unhealthy.
        var deadline = time.GetUtcNow() + FirstFetchWait;
        while (services.GetService(typeof(EurekaRegistry)) is EurekaRegistry { HasFetched: false } && time.GetUtcNow() < deadline && !stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        deadline = time.GetUtcNow() + ReadyTimeout;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Answered, healthy or not: what it answers is for the probes to judge.
                using var response = await http.GetAsync(instance.HealthCheckUrl, stoppingToken);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                // Not answering yet: tried again below.
            }

            if (time.GetUtcNow() > deadline)
            {
                logger.LogInformation("{Url} has not answered within {Seconds} s; registering as UP, and the health probes decide.",
                    instance.HealthCheckUrl, ReadyTimeout.TotalSeconds);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The port before the server listens: the setting, else the first http URL the server is told to use.</summary>
    private int? ConfiguredPort()
    {
        if (instanceOptions.Value.Port > 0)
        {
            return instanceOptions.Value.Port;
        }

        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return urls.Select(ToUri).FirstOrDefault(uri => uri is { Scheme: "http", Port: > 0 })?.Port;
    }

    private static Uri? ToUri(string address) =>
        Uri.TryCreate(address.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri) ? uri : null;

    private int? ListeningPort()
    {
        if (instanceOptions.Value.Port > 0)
        {
            return instanceOptions.Value.Port;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return addresses.Select(ToUri).FirstOrDefault(uri => uri is { Scheme: "http", Port: > 0 })?.Port;
    }
}
