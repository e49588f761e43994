using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Console;
using TTMall.Eureka.Client;
using TTMall.Testing;

namespace TTMall.Bench.Discovery;

/// <summary>
/// The other process of the registration-to-first-request figure: a client set up as every mall service is
/// (<c>AddServiceDefaults</c>: our Eureka client, Microsoft service discovery, the resilience handler), calling
/// <c>http://{service}/ping</c> through IHttpClientFactory every 20 ms. It only fetches the registry, it does not
/// register. On stdout it says when it is ready and each time the outcome of its calls flips; it exits on SIGTERM
/// or when its stdin closes, that is when the benchmark ends or dies.
/// </summary>
public static class Caller
{
    public const string Mode = "caller";
    public const string ReadyLine = "@@ ready";
    public const string OkLine = "@@ ok";
    public const string FailPrefix = "@@ fail";
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    public static IReadOnlyList<string> Arguments(Uri eureka, string service, double fetchIntervalSeconds) =>
        [Mode, "--discovery", eureka.ToString(), "--service", service, "--fetch-interval", fetchIntervalSeconds.ToString(CultureInfo.InvariantCulture)];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = Enumerable.Range(0, args.Count / 2).ToDictionary(k => args[2 * k], k => args[2 * k + 1]);
        if (!options.TryGetValue("--discovery", out var discovery) || !options.TryGetValue("--service", out var service))
        {
            await Console.Error.WriteLineAsync("Usage: caller --discovery URL --service NAME [--fetch-interval SECONDS]");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "bench-caller",
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Eureka:Client:ServiceUrl"] = discovery,
            ["Eureka:Client:RegistryFetchIntervalSeconds"] = options.GetValueOrDefault("--fetch-interval", "0.5"),
            ["Eureka:Client:ShouldRegisterWithEureka"] = "false",
            // Every failed call while the service is absent would otherwise log a resolution error.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Extensions.ServiceDiscovery"] = "None",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "None",
            ["Logging:LogLevel:Polly"] = "None",
        });
        builder.AddServiceDefaults();
        // stdout carries the protocol lines; logs go to stderr.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        using var host = builder.Build();
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is not null)
            {
            }

            await stop.CancelAsync();
        });

        await host.StartAsync(stop.Token);
        // SIGTERM or Ctrl+C stop the host; the calls must stop with it.
        using var onStopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stop.Cancel);
        var registry = host.Services.GetRequiredService<EurekaRegistry>();
        await registry.WaitForFirstFetchAsync(TimeSpan.FromSeconds(30), stop.Token);
        Console.WriteLine(registry.HasFetched ? ReadyLine : $"{FailPrefix} no registry fetched from {discovery} in 30 s");

        var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        var ping = new Uri($"http://{service}/ping");
        bool? answered = null;
        while (!stop.IsCancellationRequested)
        {
            var (ok, detail) = await CallAsync(http, ping, stop.Token);
            if (ok != answered && !stop.IsCancellationRequested)
            {
                Console.WriteLine(ok ? OkLine : $"{FailPrefix} {detail}");
                answered = ok;
            }

            try
            {
                await Task.Delay(Pause, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await host.StopAsync(stopping.Token);
        return 0;
    }

    private static async Task<(bool Ok, string Detail)> CallAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(uri, cancellationToken);
            return (response.IsSuccessStatusCode, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"{e.GetType().Name}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return (false, "stopping");
        }
    }
}

/// <summary>The benchmark's side of the caller: starts it, follows what it reports, stops it.</summary>
public sealed class CallerProcess : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private ChildProcess? _process;
    private bool _ready;
    private bool? _ok;
    private string _lastFailure = "";
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static CallerProcess Start(Uri eureka, string service, double fetchIntervalSeconds)
    {
        // This same program, by the apphost or by `dotnet the.dll`, whichever runs it now.
        var self = Environment.ProcessPath ?? throw new BenchException("Cannot tell which executable this is, to start the caller.");
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Caller).Assembly.Location);
        }

        foreach (var arg in Caller.Arguments(eureka, service, fetchIntervalSeconds))
        {
            info.ArgumentList.Add(arg);
        }

        var caller = new CallerProcess();
        caller._process = ChildProcess.Start(info, caller.OnLine);
        return caller;
    }

    public TimeSpan CpuTime => _process!.CpuTime;

    public string LastFailure
    {
        get
        {
            lock (_lock)
            {
                return _lastFailure;
            }
        }
    }

    /// <summary>Waits until the caller is ready and its calls succeed (<paramref name="ok"/>) or fail.</summary>
    /// <exception cref="BenchException">Not so within <paramref name="timeout"/>, or the caller died.</exception>
    public async Task WaitForAsync(bool ok, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_ready && _ok == ok)
                {
                    return;
                }

                changed = _changed.Task;
            }

            var left = TimeSpan.FromSeconds((double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            if (_process!.HasExited || left <= TimeSpan.Zero)
            {
                throw new BenchException(
                    $"The caller {(_process.HasExited ? "exited" : $"did not report its calls {(ok ? "succeeding" : "failing")} within {timeout.TotalSeconds:F0} s")}:\n{_process.Output}");
            }

            try
            {
                await changed.WaitAsync(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), cancellationToken);
            }
            catch (TimeoutException)
            {
                // Look again: the deadline, or whether the process died.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(5));
            await _process.DisposeAsync();
        }
    }

    private void OnLine(string line)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (line == Caller.ReadyLine)
            {
                _ready = true;
            }
            else if (line == Caller.OkLine)
            {
                _ok = true;
            }
            else if (line.StartsWith(Caller.FailPrefix, StringComparison.Ordinal))
            {
                _ok = false;
                _lastFailure = line[Caller.FailPrefix.Length..].Trim();
            }
            else
            {
                return;
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
