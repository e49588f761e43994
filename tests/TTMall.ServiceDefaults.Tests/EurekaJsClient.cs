using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>
/// interop/eureka-js-interop.js run by node: the npm package eureka-js-client (pinned in interop/package.json)
/// as an independent Eureka client. Dependencies are installed with <c>npm ci</c> once per test run, and not at all
/// when node_modules already matches package-lock.json.
/// </summary>
internal sealed class EurekaJsClient : IAsyncDisposable
{
    private const string Script = "eureka-js-interop.js";
    private const string InstalledStamp = ".ttmall-package-lock.sha256";
    private static readonly Lazy<Task> Installation = new(InstallAsync);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly SemaphoreSlim _lines = new(0);

    private EurekaJsClient(Process process)
    {
        _process = process;
    }

    public static string Directory { get; } = FindInteropDirectory();

    /// <summary>Everything the script printed so far (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join("\n", _output);

    /// <summary>Makes sure node, npm and the pinned packages are there (<c>npm ci</c>, once per run).</summary>
    public static Task EnsureInstalledAsync() => Installation.Value;

    public static async Task<EurekaJsClient> StartAsync(params string[] arguments)
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var client = new EurekaJsClient(Process.Start(start)!);
        client._process.OutputDataReceived += (_, e) => client.Received(e.Data);
        client._process.ErrorDataReceived += (_, e) => client.Received(e.Data);
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Waits for a line of output containing <paramref name="marker"/>; fails with the whole output if the script ends or time runs out first.</summary>
    public async Task WaitForAsync(string marker, TimeSpan within)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);
        while (!_output.Any(line => line.Contains(marker, StringComparison.Ordinal)))
        {
            var left = TimeSpan.FromSeconds((deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            if (_process.HasExited && !await _lines.WaitAsync(TimeSpan.FromMilliseconds(200)))
            {
                throw new Xunit.Sdk.XunitException($"eureka-js-client script exited with {_process.ExitCode} before printing {marker}:\n{Output}");
            }

            if (left <= TimeSpan.Zero)
            {
                throw new Xunit.Sdk.XunitException($"eureka-js-client script did not print {marker} within {within.TotalSeconds} s:\n{Output}");
            }

            await _lines.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the script to end; returns its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan within)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(within);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"eureka-js-client script did not exit within {within.TotalSeconds} s:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            _lines.Release();
        }
    }

    private static async Task InstallAsync()
    {
        foreach (var tool in new[] { "node", "npm" })
        {
            var (code, output) = await RunAsync(tool, ["--version"], TimeSpan.FromSeconds(30));
            if (code != 0)
            {
                throw new InvalidOperationException($"The eureka-js-client interop test needs Node.js and npm: `{tool} --version` failed ({code}): {output}");
            }
        }

        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Directory, "package-lock.json"))));
        var stamp = Path.Combine(Directory, "node_modules", InstalledStamp);
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == lockHash)
        {
            return;
        }

        var (exit, log) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3));
        if (exit != 0)
        {
            throw new InvalidOperationException($"`npm ci` in {Directory} failed ({exit}):\n{log}");
        }

        await File.WriteAllTextAsync(stamp, lockHash);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool, arguments) { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"The eureka-js-client interop test needs Node.js and npm on PATH, and `{tool}` could not be started ({e.Message}). " +
                "Install them (Debian: apt-get install nodejs npm).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return (-1, $"`{tool} {string.Join(' ', arguments)}` did not finish within {timeout}:\n{await stdout}{await stderr}");
            }

            return (process.ExitCode, await stdout + await stderr);
        }
    }

    private static string FindInteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var interop = Path.Combine(dir.FullName, "tests", "TTMall.ServiceDefaults.Tests", "interop");
            if (File.Exists(Path.Combine(interop, "package.json")))
            {
                return interop;
            }
        }

        throw new InvalidOperationException("tests/TTMall.ServiceDefaults.Tests/interop/package.json not found above " + AppContext.BaseDirectory);
    }
}
