namespace TTMall.Testing;

/// <summary>
/// A real discovery server process on a loopback port, started from a built TTMall.Discovery.dll, that a test
/// can kill (no goodbye: SIGKILL) and start again on the same port, and a benchmark can measure. Its Eureka client is
/// off: it registers nowhere itself.
/// </summary>
public sealed class DiscoveryPeer : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private DiscoveryPeer(ServiceProcess process, string secret, string environment, IEnumerable<string> arguments)
    {
        _process = process;
        _process.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        _process.Environment["DOTNET_ENVIRONMENT"] = environment;
        _process.Environment["OTEL_SERVICE_NAME"] = $"discovery-{process.Port}";
        _process.Environment["Discovery__Secret"] = secret;
        _process.Arguments.Add("--Eureka:Client:Enabled=false");
        _process.Arguments.AddRange(arguments);
    }

    /// <summary>A peer of the tests: this checkout's build, in Development, checking credentials derived from <see cref="TestDiscovery.Secret"/>.</summary>
    private DiscoveryPeer(int port, string[] arguments)
        : this(new ServiceProcess("TTMall.Discovery", "discovery", port), TestDiscovery.Secret, "Development", arguments)
    {
    }

    public int Port => _process.Port;

    /// <summary>http://127.0.0.1:port/eureka/</summary>
    public Uri EurekaUri => new($"http://127.0.0.1:{Port}/eureka/");

    public Uri BaseUri => _process.BaseUri;

    public bool IsRunning => _process.IsRunning;

    /// <summary>The id of the current (or last) process.</summary>
    public int? ProcessId => _process.ProcessId;

    /// <summary>Exit code of the last process, once it has exited.</summary>
    public int? ExitCode => _process.ExitCode;

    /// <summary>Output of the current process, for failure messages.</summary>
    public string Log => _process.Log;

    /// <summary>What the process logged, line by line.</summary>
    public IReadOnlyList<OutputLine> Lines => _process.Lines;

    /// <summary>What it logged at warning level or above (see <see cref="ConsoleLog.Complaints"/>).</summary>
    public IReadOnlyList<string> Complaints => ConsoleLog.Complaints([.. Lines.Select(l => l.Text)]);

    /// <summary>A peer on <paramref name="port"/>, not started yet. <paramref name="arguments"/> are configuration like "--Discovery:SelfPreservation=false".</summary>
    public static DiscoveryPeer Create(int port, params string[] arguments) => new(port, arguments);

    /// <summary>Starts a peer. <paramref name="arguments"/> are configuration like "--Discovery:SelfPreservation=false".</summary>
    public static async Task<DiscoveryPeer> StartAsync(int? port = null, params string[] arguments)
    {
        var peer = new DiscoveryPeer(port ?? FreePort.OnLoopback(), arguments);
        await peer.StartAsync();
        return peer;
    }

    /// <summary>Two peers that know each other.</summary>
    public static async Task<(DiscoveryPeer A, DiscoveryPeer B)> StartPairAsync(params string[] arguments)
    {
        var (portA, portB) = (FreePort.OnLoopback(), FreePort.OnLoopback());
        var a = new DiscoveryPeer(portA, [.. arguments, $"--Discovery:PeerUrls:0=http://127.0.0.1:{portB}/eureka/"]);
        var b = new DiscoveryPeer(portB, [.. arguments, $"--Discovery:PeerUrls:0=http://127.0.0.1:{portA}/eureka/"]);
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        return (a, b);
    }

    /// <summary>
    /// A peer from the build given (a Release build, say), in Production, alone, checking credentials derived from
    /// <paramref name="secret"/>, with the environment and configuration <paramref name="arguments"/> given: as a benchmark measures it.
    /// </summary>
    /// <exception cref="InvalidOperationException">It exited while starting.</exception>
    /// <exception cref="TimeoutException">It was not healthy within <paramref name="timeout"/>; it is killed.</exception>
    public static async Task<DiscoveryPeer> StartBuildAsync(
        FileInfo dll, string secret, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var peer = new DiscoveryPeer(ServiceProcess.OfDll(dll.FullName, "discovery"), secret, "Production", arguments);
        foreach (var (name, value) in environment)
        {
            peer._process.Environment[name] = value;
        }

        try
        {
            await peer._process.StartAsync(timeout, cancellationToken);
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the peer (again, on its port) and waits until it is healthy.</summary>
    public Task StartAsync() => _process.StartAsync();

    /// <summary>SIGKILL: the peer gets no chance to say anything.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM, as the AppHost stops it; returns its exit code.</summary>
    public Task<int> StopAsync() => _process.StopAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
