using System.Diagnostics;

namespace TTMall.Testing;

/// <summary>
/// One of the mall's built services (<c>services/&lt;Project&gt;/bin/&lt;Configuration&gt;/net10.0</c>) as a real child
/// process on a loopback port: started with <c>--urls http://127.0.0.1:PORT</c> and the environment given, ready
/// once its health path answers 2xx. A test can kill it (SIGKILL: no goodbye), stop it (SIGTERM: a graceful stop),
/// freeze and thaw it, and start it again on the same port. Each run is a <see cref="ChildProcess"/>, its output
/// captured line by line.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    private ChildProcess? _process;

    /// <param name="project">The project's folder and assembly name under services/, e.g. <c>TTMall.Products</c>.</param>
    /// <param name="name">What messages call this process, e.g. <c>products-1</c>.</param>
    public ServiceProcess(string project, string name, int? port = null)
        : this(new FileInfo(DllOf(project)), name, port)
    {
    }

    private ServiceProcess(FileInfo dll, string name, int? port)
    {
        Dll = dll.FullName;
        Name = name;
        Port = port ?? FreePort.OnLoopback();
    }

    /// <summary>A service from a build of one's choosing (a benchmark's Release build, say).</summary>
    public static ServiceProcess OfDll(string dll, string name, int? port = null) => new(new FileInfo(dll), name, port);

    public string Name { get; }

    public string Dll { get; }

    public int Port { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>Configuration arguments after <c>--urls</c>, like <c>--Discovery:SelfPreservation=false</c>; used by every start.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>Environment variables of the process (null removes an inherited one); used by every start.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The path polled until it answers 2xx before a start counts as done.</summary>
    public string HealthPath { get; init; } = "/health";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The id of the current (or last) process.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>When the last process was seen to have exited (killed, stopped or crashed), UTC.</summary>
    public DateTime? ExitedAtUtc => _process?.ExitedAtUtc;

    /// <summary>Exit code of the last process, once it has exited.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>CPU time the current (or last) process has used.</summary>
    public TimeSpan CpuTime => _process?.CpuTime ?? TimeSpan.Zero;

    /// <summary>Output of the current (or last) run, stdout and stderr interleaved.</summary>
    public IReadOnlyList<OutputLine> Lines => _process?.Lines ?? [];

    /// <summary>Output of the current (or last) run as text, for failure messages.</summary>
    public string Log => _process?.Output ?? "";

    /// <summary>Starts the process and waits (at most <paramref name="timeout"/>, 60 s by default) until its health path answers.</summary>
    /// <exception cref="InvalidOperationException">It is already running, or it exited while starting.</exception>
    /// <exception cref="TimeoutException">It did not become healthy in time (it is left running: dispose it).</exception>
    public async Task StartAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        await ForgetAsync();
        var start = new ProcessStartInfo(ChildProcess.DotnetHost()) { WorkingDirectory = Path.GetDirectoryName(Dll)! };
        foreach (var (name, value) in Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        foreach (var argument in new[] { Dll, "--urls", $"http://127.0.0.1:{Port}" }.Concat(Arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = _process = ChildProcess.Start(start);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var within = timeout ?? DefaultStartTimeout;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < within)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(Timeout.InfiniteTimeSpan, cancellationToken);
                throw new InvalidOperationException($"{Name} on {Port} exited with {process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, HealthPath), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"{Name} on {Port} did not become healthy within {within.TotalSeconds:0} s:\n{Log}");
    }

    /// <summary>SIGKILL: the process gets no chance to do or say anything. Returns once it is gone.</summary>
    public Task KillAsync() => _process?.KillAsync() ?? Task.CompletedTask;

    /// <inheritdoc cref="ChildProcess.Freeze"/>
    public void Freeze() => _process?.Freeze();

    /// <inheritdoc cref="ChildProcess.Thaw"/>
    public void Thaw() => _process?.Thaw();

    /// <summary>
    /// SIGTERM, as an orchestrator stops a process, then waits for it to exit by itself; returns its exit code.
    /// </summary>
    /// <exception cref="TimeoutException">It was still running after <paramref name="timeout"/> (30 s by default); it is killed then.</exception>
    public async Task<int> StopAsync(TimeSpan? timeout = null) =>
        _process is null ? 0 : await _process.TerminateAsync(timeout ?? TimeSpan.FromSeconds(30));

    public ValueTask DisposeAsync() => ForgetAsync();

    private async ValueTask ForgetAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }

    /// <summary>The built service: services/&lt;project&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;project&gt;.dll.</summary>
    /// <exception cref="FileNotFoundException">It is not built.</exception>
    public static string DllOf(string project)
    {
        var dll = Path.Combine(Repository.Root, "services", project, "bin", Repository.Configuration, "net10.0", project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not found; build the solution first.");
    }
}
