using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace TTMall.Testing;

/// <summary>A line a <see cref="ChildProcess"/> wrote (stdout or stderr), with the moment this process read it.</summary>
public sealed record OutputLine(DateTime ReceivedUtc, string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// A process a test or a benchmark started (a service, a discovery peer, wrk, nginx). Its output is drained (a full
/// pipe would stall it) and kept line by line with the time each line arrived; it can be killed (SIGKILL), stopped as
/// an orchestrator stops it (SIGTERM), frozen and thawed (SIGSTOP, SIGCONT). It is killed with its children when
/// disposed, and also when this process exits any other way, so nothing is left running.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 50_000;

    /// <summary>Every process started and not yet disposed: killed when this process exits, whatever the way.</summary>
    private static readonly ConcurrentDictionary<System.Diagnostics.Process, byte> Running = new();

    private readonly System.Diagnostics.Process _process;
    private readonly ConcurrentQueue<OutputLine> _output = new();
    private readonly Action<string>? _onStandardOutput;
    private DateTime? _exitedAtUtc;

    static ChildProcess()
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

    private ChildProcess(System.Diagnostics.ProcessStartInfo info, Action<string>? onStandardOutput)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        // A dashboard endpoint inherited from the shell would make every child export telemetry into it.
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        _onStandardOutput = onStandardOutput;
        _process = new System.Diagnostics.Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Received(e.Data, isStandardOutput: true);
        _process.ErrorDataReceived += (_, e) => Received(e.Data, isStandardOutput: false);
        _process.Exited += (_, _) => _exitedAtUtc ??= DateTime.UtcNow;
    }

    /// <summary>The executable's file name, e.g. <c>wrk</c>.</summary>
    public string Name => Path.GetFileName(_process.StartInfo.FileName);

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Exit code, once it has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>When it was seen to have exited (killed, stopped or crashed), UTC.</summary>
    public DateTime? ExitedAtUtc => _exitedAtUtc;

    /// <summary>CPU time the process has used so far (user and kernel, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>What it wrote, stdout and stderr interleaved (the last 50,000 lines).</summary>
    public IReadOnlyList<OutputLine> Lines => [.. _output];

    /// <summary><see cref="Lines"/> as text, for failure messages and for parsing.</summary>
    public string Output => string.Join('\n', _output.Select(l => l.Text));

    public StreamWriter StandardInput => _process.StandardInput;

    /// <param name="onStandardOutput">Called with each line of stdout as it arrives.</param>
    /// <exception cref="InvalidOperationException">It could not be started (no such executable, say).</exception>
    public static ChildProcess Start(System.Diagnostics.ProcessStartInfo info, Action<string>? onStandardOutput = null)
    {
        var child = new ChildProcess(info, onStandardOutput);
        try
        {
            child._process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {info.FileName}: {e.Message}", e);
        }

        Running[child._process] = 0;
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The dotnet host running this process (so a child runs on the same runtime), else the one on the PATH.</summary>
    public static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <returns>false when the process was still running after <paramref name="timeout"/>.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
            // The last lines of output arrive after the exit; this returns once they have.
            await _process.WaitForExitAsync(cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL, to it and its children: no chance to do or say anything. Returns once it is gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// SIGTERM, as an orchestrator stops a process, then waits for it to exit by itself; returns its exit code.
    /// </summary>
    /// <exception cref="TimeoutException">It was still running after <paramref name="timeout"/>; it is killed then.</exception>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Signal(Sigterm, "SIGTERM");
            if (!await WaitForExitAsync(timeout))
            {
                await KillAsync();
                throw new TimeoutException($"{Name} (pid {_process.Id}) did not exit within {timeout.TotalSeconds:0} s of SIGTERM:\n{Output}");
            }
        }

        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Lets the process end by itself within <paramref name="grace"/> (stdin closed), then kills it and its children.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            if (_process.StartInfo.RedirectStandardInput)
            {
                _process.StandardInput.Close();
            }

            if (grace > TimeSpan.Zero && await WaitForExitAsync(grace))
            {
                return;
            }

            await KillAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
        {
            // Already gone, or its stdin pipe is: nothing left to stop.
        }
    }

    /// <summary>
    /// SIGSTOP: the process stops dead but stays alive, its sockets open; connections to it are still accepted by the
    /// kernel and nothing answers them (a replica stuck in a long pause). <see cref="Thaw"/> lets it go on.
    /// </summary>
    public void Freeze() => Signal(Sigstop, "SIGSTOP");

    /// <summary>SIGCONT: a frozen process goes on where it stopped.</summary>
    public void Thaw() => Signal(Sigcont, "SIGCONT");

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        Running.TryRemove(_process, out _);
        _process.Dispose();
    }

    private void Signal(int signal, string name)
    {
        if (!_process.HasExited && SendSignal(_process.Id, signal) != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"could not send {name} to {Name} (pid {_process.Id}): errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private void Received(string? line, bool isStandardOutput)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(new OutputLine(DateTime.UtcNow, line));
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }

        if (isStandardOutput)
        {
            _onStandardOutput?.Invoke(line);
        }
    }

    private const int Sigterm = 15;
    private const int Sigcont = 18;
    private const int Sigstop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
