namespace TTMall.Testing;

/// <summary>
/// A real discovery server process on a loopback port, started from the built TTMall.Discovery.dll, that a test
/// can kill (no goodbye: SIGKILL) and start again on the same port. It checks credentials derived from
/// <see cref="TestDiscovery.Secret"/>.
/// </summary>
public sealed class DiscoveryPeer : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private DiscoveryPeer(int port, string[] extraArguments)
    {
        _process = new ServiceProcess("TTMall.Discovery", "discovery", port)
        {
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["OTEL_SERVICE_NAME"] = $"discovery-{port}",
                ["Discovery__Secret"] = TestDiscovery.Secret,
            },
            Arguments = { "--Eureka:Client:Enabled=false" },
        };
        _process.Arguments.AddRange(extraArguments);
    }

    public int Port => _process.Port;

    /// <summary>http://127.0.0.1:port/eureka/</summary>
    public Uri EurekaUri => new($"http://127.0.0.1:{Port}/eureka/");

    public Uri BaseUri => _process.BaseUri;

    public bool IsRunning => _process.IsRunning;

    /// <summary>Output of the current process, for failure messages.</summary>
    public string Log => _process.Log;

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

    /// <summary>Starts the peer (again, on its port) and waits until it is healthy.</summary>
    public Task StartAsync() => _process.StartAsync();

    /// <summary>SIGKILL: the peer gets no chance to say anything.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
