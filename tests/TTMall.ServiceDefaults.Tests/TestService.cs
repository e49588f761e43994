using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TTMall.Eureka;
using TTMall.Eureka.Client;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>How a <see cref="TestService"/> is set up: the mall's local profile, sped up (fetch every 0.2 s, lease 1 s / 3 s).</summary>
internal sealed record TestServiceOptions(string ServiceUrl)
{
    public TestServiceOptions(DiscoveryPeer peer) : this(peer.EurekaUri.ToString())
    {
    }

    public string AppName { get; init; } = "catalog";
    public string InstanceId { get; init; } = "catalog-1";

    /// <summary>0: any free port (the instance learns which once it listens).</summary>
    public int Port { get; init; }

    public bool Register { get; init; } = true;
    public int LeaseRenewalIntervalInSeconds { get; init; } = 1;
    public int LeaseExpirationDurationInSeconds { get; init; } = 3;

    /// <summary>/whoami answers 503, as an overloaded instance would.</summary>
    public bool Unavailable { get; init; }

    /// <summary>
    /// Once registered UP, no request is answered, /health included (each is taken and nothing comes back), while the
    /// Eureka client keeps the instance UP: a stalled instance, the worst case of a frozen one.
    /// </summary>
    public bool Silent { get; init; }

    /// <summary>Start-up waits for this before the application counts as started (it stays STARTING meanwhile).</summary>
    public Task? StartupGate { get; init; }

    /// <summary>More configuration, e.g. "Eureka:Instance:MetadataMap:zone" = "a".</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A service in this process, as every mall process is: Kestrel on loopback, <c>AddServiceDefaults</c> (so our Eureka
/// client registers it and resolves names for its HttpClients), <c>GET|POST /whoami</c> answering its instance id,
/// and <c>GET|POST /api/&lt;service&gt;/caller</c> answering the caller's address as the service sees it.
/// Its HttpClient <see cref="HttpClientName"/> records every attempt after service discovery picked an instance.
/// </summary>
internal sealed class TestService : IAsyncDisposable
{
    public const string HttpClientName = "calls";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _log = new();
    private int _served;
    private bool _stopped;
    private bool _disposed;

    private TestService(TestServiceOptions options)
    {
        Options = options;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
            Args =
            [
                "--urls", $"http://127.0.0.1:{options.Port.ToString(CultureInfo.InvariantCulture)}",
                $"--Eureka:Client:ServiceUrl={TestDiscovery.ServiceUrls(options.ServiceUrl, options.AppName)}",
                "--Eureka:Client:RegistryFetchIntervalSeconds=0.2",
                $"--Eureka:Client:ShouldRegisterWithEureka={options.Register}",
                $"--Eureka:Instance:AppName={options.AppName}",
                $"--Eureka:Instance:InstanceId={options.InstanceId}",
                $"--Eureka:Instance:LeaseRenewalIntervalInSeconds={options.LeaseRenewalIntervalInSeconds.ToString(CultureInfo.InvariantCulture)}",
                $"--Eureka:Instance:LeaseExpirationDurationInSeconds={options.LeaseExpirationDurationInSeconds.ToString(CultureInfo.InvariantCulture)}",
                .. options.Settings.Select(s => $"--{s.Key}={s.Value}"),
            ],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new CollectingLoggerProvider(_log));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.AddServiceDefaults();
        if (options.StartupGate is { } gate)
        {
            builder.Services.AddHostedService(_ => new StartupGate(gate));
        }

        builder.Services.AddHttpClient(HttpClientName).AddHttpMessageHandler(() => new AttemptRecorder(Attempts));

        _app = builder.Build();
        _app.UseServiceDefaults();
        if (options.Silent)
        {
            var registration = _app.Services.GetRequiredService<EurekaRegistration>();
            _app.Use(async (HttpContext context, RequestDelegate next) =>
            {
                // It answers until it is UP (its own start-up check of /health among them): it stalls once in service.
                if (registration.Instance?.Status != InstanceStatus.UP)
                {
                    await next(context);
                    return;
                }

                if (context.Request.Path == "/whoami")
                {
                    Interlocked.Increment(ref _served);
                }

                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            });
        }

        // Who the service believes is calling, and what is left of X-Forwarded-For once it has believed what it does.
        _app.MapMethods("/api/{service}/caller", ["GET", "POST"], (HttpContext context) =>
            Results.Text($"{context.Connection.RemoteIpAddress}|{context.Request.Headers["X-Forwarded-For"]}"));

        _app.MapMethods("/whoami", ["GET", "POST"], () =>
        {
            Interlocked.Increment(ref _served);
            return options.Unavailable ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Text(options.InstanceId);
        });
    }

    public TestServiceOptions Options { get; }

    public string InstanceId => Options.InstanceId;

    /// <summary>The port it listens on (known once started).</summary>
    public int Port =>
        new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    /// <summary>Requests to /whoami (GET or POST) served so far.</summary>
    public int Served => Volatile.Read(ref _served);

    /// <summary>This process's copy of the registry.</summary>
    public EurekaRegistry Registry => _app.Services.GetRequiredService<EurekaRegistry>();

    /// <summary>The instances this process has set aside for not answering.</summary>
    public UnreachableInstances Unreachable => _app.Services.GetRequiredService<UnreachableInstances>();

    /// <summary>Where this process's HttpClients would send <paramref name="service"/>'s requests now.</summary>
    public IReadOnlyList<InstanceInfo> RoutableInstances(string service) =>
        _app.Services.GetRequiredService<EurekaServiceEndpointProviderFactory>().RoutableInstances(service);

    /// <summary>Every attempt the <see cref="HttpClientName"/> client made, retries included, with the instance it went to.</summary>
    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    /// <summary>This process's log (Information and above), for failure messages.</summary>
    public string Log => string.Join("\n", _log);

    /// <summary>Builds and starts a service; with a <see cref="TestServiceOptions.StartupGate"/>, returns once the gate opens.</summary>
    public static async Task<TestService> StartAsync(TestServiceOptions options)
    {
        var service = new TestService(options);
        await service._app.StartAsync();
        return service;
    }

    /// <summary>Builds a service and starts it in the background: for watching what happens while it starts.</summary>
    public static (TestService Service, Task Started) Begin(TestServiceOptions options)
    {
        var service = new TestService(options);
        return (service, service._app.StartAsync());
    }

    public HttpClient CreateClient() => _app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);

    /// <summary>A graceful stop: the application stops as on SIGTERM (so it leaves the registry).</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _app.StopAsync();
    }

    /// <summary>Signals the stop as SIGTERM does (before the host stops anything), and returns as soon as the signal is given.</summary>
    public void SignalStop() => _app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

    /// <summary>
    /// Dies without a word: heartbeats stop without a cancel, and the port refuses connections from now on (open
    /// connections are aborted), as when the process is killed. The registry learns of it only when the lease ends.
    /// </summary>
    public async Task CrashAsync()
    {
        await _app.Services.GetRequiredService<EurekaRegistration>().StopAsync(CancellationToken.None);
        try
        {
            await _app.Services.GetRequiredService<IServer>().StopAsync(new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_stopped)
        {
            await StopAsync();
        }

        await _app.DisposeAsync();
    }

    private sealed class StartupGate(Task gate) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => gate.WaitAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>One attempt of a request, after service discovery chose where it goes.</summary>
internal sealed record Attempt(long Sent, long Ended, Uri Uri, int? StatusCode, Exception? Error)
{
    public bool Refused => UnreachableEndpointReporter.IsConnectFailure(Error);

    public override string ToString() =>
        $"{Uri} {StatusCode?.ToString(CultureInfo.InvariantCulture) ?? Error?.GetType().Name} ({Stopwatch.GetElapsedTime(Sent, Ended).TotalMilliseconds:0} ms)";
}

/// <summary>The innermost handler: sees each attempt with the instance's address in place of the service name.</summary>
internal sealed class AttemptRecorder(ConcurrentQueue<Attempt> attempts) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var sent = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            attempts.Enqueue(new Attempt(sent, Stopwatch.GetTimestamp(), uri, (int)response.StatusCode, null));
            return response;
        }
        catch (Exception e)
        {
            attempts.Enqueue(new Attempt(sent, Stopwatch.GetTimestamp(), uri, null, e));
            throw;
        }
    }
}

internal sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]")}");
            }
        }
    }
}
