namespace TTMall.Discovery.Tests.Support;

/// <summary>Two peers replicating to each other, and a client of each; either, restarted, waits patiently for the other's registry.</summary>
public sealed class PeerPair : IAsyncDisposable
{
    private PeerPair(DiscoveryPeer a, DiscoveryPeer b) => (A, B, OnA, OnB) = (a, b, EurekaTestClient.For(a), EurekaTestClient.For(b));

    public DiscoveryPeer A { get; }
    public DiscoveryPeer B { get; }
    public EurekaTestClient OnA { get; }
    public EurekaTestClient OnB { get; }

    public static async Task<PeerPair> StartAsync(params string[] arguments)
    {
        var (a, b) = await DiscoveryPeer.StartPairAsync([PeerArguments.NoSelfPreservation, PeerArguments.PatientStartupSync, .. arguments]);
        return new PeerPair(a, b);
    }

    public async ValueTask DisposeAsync()
    {
        OnA.Dispose();
        OnB.Dispose();
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
