using System.Collections.Concurrent;
using System.Diagnostics;

namespace TTMall.Bench;

/// <summary>
/// A process a benchmark started (a server, wrk, nginx, a caller). Its output is drained (a full pipe would stall
/// it) and the last lines kept for error messages; it is killed with its children when disposed, and also when the
/// benchmark exits any other way, so a benchmark never leaves a server running.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Action<string>? _onStandardOutput;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private ChildProcess(ProcessStartInfo info, Action<string>? onStandardOutput)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        // A dashboard endpoint inherited from the shell would make every child export telemetry into it.
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        _onStandardOutput = onStandardOutput;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Received(e.Data, isStandardOutput: true);
        _process.ErrorDataReceived += (_, e) => Received(e.Data, isStandardOutput: false);
    }

    public string Name => Path.GetFileName(_process.StartInfo.FileName);
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>CPU time the process has used so far (user and kernel, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>What the process wrote (stdout and stderr interleaved), the last <see cref="KeptLines"/> lines.</summary>
    public string Output => string.Join('\n', _output);

    public StreamWriter StandardInput => _process.StandardInput;

    public static ChildProcess Start(ProcessStartInfo info, Action<string>? onStandardOutput = null)
    {
        var child = new ChildProcess(info, onStandardOutput);
        try
        {
            child._process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchException($"Could not start {info.FileName}: {e.Message}");
        }

        Running[child._process.Id] = child._process;
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <returns>false when the process was still running after <paramref name="timeout"/>.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
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

    public int ExitCode => _process.ExitCode;

    /// <summary>Lets the process end by itself within <paramref name="grace"/> (stdin closed), then kills it and its children.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            if (_process.StartInfo.RedirectStandardInput)
            {
                _process.StandardInput.Close();
            }

            if (grace > TimeSpan.Zero && await WaitForExitAsync(grace, CancellationToken.None))
            {
                return;
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
        {
            // Already gone, or its stdin pipe is: nothing left to stop.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private void Received(string? line, bool isStandardOutput)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }

        if (isStandardOutput)
        {
            _onStandardOutput?.Invoke(line);
        }
    }

    private static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
