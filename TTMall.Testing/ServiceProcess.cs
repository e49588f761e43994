using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TTMall.Testing;

/// <summary>A line a <see cref="ServiceProcess"/> wrote (stdout or stderr), with the moment this process read it.</summary>
public sealed record OutputLine(DateTime ReceivedUtc, string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// One of the mall's built services (<c>services/&lt;Project&gt;/bin/&lt;Configuration&gt;/net10.0</c>) as a real child
/// process on a loopback port: started with <c>--urls http://127.0.0.1:PORT</c> and the environment given, ready
/// once its health path answers 2xx. A test can kill it (SIGKILL: no goodbye), stop it (SIGTERM: a graceful stop),
/// and start it again on the same port. Its output is captured, line by line, for each run.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int KeptLines = 50_000;
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Every process started and not yet disposed: killed when this process exits, whatever the way.</summary>
    private static readonly ConcurrentDictionary<Process, byte> Running = new();

    private readonly ConcurrentQueue<OutputLine> _output = new();
    private Process? _process;
    private DateTime? _exitedAtUtc;

    static ServiceProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Keys)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                }
            }
        };
    }

    /// <param name="project">The project's folder and assembly name under services/, e.g. <c>TTMall.Products</c>.</param>
    /// <param name="name">What messages call this process, e.g. <c>products-1</c>.</param>
    public ServiceProcess(string project, string name, int? port = null)
    {
        Dll = DllOf(project);
        Name = name;
        Port = port ?? FreePort.OnLoopback();
    }

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
    public DateTime? ExitedAtUtc => _exitedAtUtc;

    /// <summary>Exit code of the last process, once it has exited.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>Output of the current (or last) run, stdout and stderr interleaved.</summary>
    public IReadOnlyList<OutputLine> Lines => [.. _output];

    /// <summary>Output of the current (or last) run as text, for failure messages.</summary>
    public string Log => string.Join("\n", _output.Select(l => l.Text));

    /// <summary>Starts the process and waits (at most <paramref name="timeout"/>, 60 s by default) until its health path answers.</summary>
    /// <exception cref="InvalidOperationException">It is already running, or it exited while starting.</exception>
    /// <exception cref="TimeoutException">It did not become healthy in time (it is left running: dispose it).</exception>
    public async Task StartAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        Forget();
        _output.Clear();
        _exitedAtUtc = null;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Dll)!,
        };
        // A dashboard endpoint inherited from the shell would make the service export telemetry into it.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
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

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.Exited += (_, _) => _exitedAtUtc ??= DateTime.UtcNow;
        process.Start();
        _process = process;
        Running[process] = 0;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var within = timeout ?? DefaultStartTimeout;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < within)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
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
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// SIGSTOP: the process stops dead but stays alive, its sockets open; connections to it are still accepted by the
    /// kernel and nothing answers them (a replica stuck in a long pause). <see cref="Thaw"/> lets it go on.
    /// </summary>
    public void Freeze() => Signal(Sigstop, "SIGSTOP");

    /// <summary>SIGCONT: a frozen process goes on where it stopped.</summary>
    public void Thaw() => Signal(Sigcont, "SIGCONT");

    private void Signal(int signal, string name)
    {
        if (_process is { HasExited: false } process && SendSignal(process.Id, signal) != 0 && !process.HasExited)
        {
            throw new InvalidOperationException($"could not send {name} to {Name} (pid {process.Id}): errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>
    /// SIGTERM, as an orchestrator stops a process, then waits for it to exit by itself; returns its exit code.
    /// </summary>
    /// <exception cref="TimeoutException">It was still running after <paramref name="timeout"/> (30 s by default); it is killed then.</exception>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (_process is not { HasExited: false } process)
        {
            return _process?.ExitCode ?? 0;
        }

        Signal(Sigterm, "SIGTERM");
        var within = timeout ?? TimeSpan.FromSeconds(30);
        try
        {
            await process.WaitForExitAsync().WaitAsync(within);
        }
        catch (TimeoutException)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not exit within {within.TotalSeconds:0} s of SIGTERM:\n{Log}");
        }

        // The last lines of output arrive after the exit; this returns once they have.
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Forget();
    }

    private void Forget()
    {
        if (_process is { } process)
        {
            Running.TryRemove(process, out _);
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>The built service: services/&lt;project&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;project&gt;.dll.</summary>
    /// <exception cref="FileNotFoundException">It is not built.</exception>
    public static string DllOf(string project)
    {
        var dll = Path.Combine(Repository.Root, "services", project, "bin", Repository.Configuration, "net10.0", project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not found; build the solution first.");
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(new OutputLine(DateTime.UtcNow, line));
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }

    private const int Sigterm = 15;
    private const int Sigcont = 18;
    private const int Sigstop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
