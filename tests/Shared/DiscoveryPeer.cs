using System.Diagnostics;
using System.Net.Sockets;

namespace TTMall.Tests.Shared;

/// <summary>
/// A real discovery server process on a loopback port, started from the built TTMall.Discovery.dll, that a test
/// can kill (no goodbye: SIGKILL) and start again on the same port.
/// </summary>
public sealed class DiscoveryPeer : IAsyncDisposable
{
    private readonly string[] _extraArguments;
    private Process? _process;

    private DiscoveryPeer(int port, string[] extraArguments)
    {
        Port = port;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:port/eureka/</summary>
    public Uri EurekaUri => new($"http://127.0.0.1:{Port}/eureka/");

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Output of the current process, for failure messages.</summary>
    public string Log => string.Join("\n", _log);

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    /// <summary>Starts a peer. <paramref name="arguments"/> are configuration like "--Discovery:SelfPreservation=false".</summary>
    public static async Task<DiscoveryPeer> StartAsync(int? port = null, params string[] arguments)
    {
        var peer = new DiscoveryPeer(port ?? FreePort(), arguments);
        await peer.StartAsync();
        return peer;
    }

    /// <summary>Two peers that know each other.</summary>
    public static async Task<(DiscoveryPeer A, DiscoveryPeer B)> StartPairAsync(params string[] arguments)
    {
        var (portA, portB) = (FreePort(), FreePort());
        var a = new DiscoveryPeer(portA, [.. arguments, $"--Discovery:PeerUrls:0=http://127.0.0.1:{portB}/eureka/"]);
        var b = new DiscoveryPeer(portB, [.. arguments, $"--Discovery:PeerUrls:0=http://127.0.0.1:{portA}/eureka/"]);
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        return (a, b);
    }

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("already running");
        }

        _log.Clear();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(ServerDll)!,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["OTEL_SERVICE_NAME"] = $"discovery-{Port}",
            },
        };
        foreach (var argument in new[] { ServerDll, "--urls", $"http://127.0.0.1:{Port}", "--Eureka:Client:Enabled=false" }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _log.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _log.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"discovery on {Port} exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"discovery on {Port} did not become healthy:\n{Log}");
    }

    /// <summary>SIGKILL: the peer gets no chance to say anything.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ServerDll { get; } = FindServerDll();

    private static string FindServerDll()
    {
        var dll = Path.Combine(Repository.Root, "services", "TTMall.Discovery", "bin", Repository.Configuration, "net10.0", "TTMall.Discovery.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not found; build the solution first.");
    }
}
