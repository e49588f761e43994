namespace TTMall.Discovery.Tests.Support;

/// <summary>One discovery server shared by a test class; its tests keep apart by using unique names.</summary>
public sealed class DiscoveryServerFixture : IAsyncLifetime
{
    public DiscoveryPeer Peer { get; private set; } = null!;

    public EurekaTestClient Client(string prefix = "eureka/") => EurekaTestClient.For(Peer, prefix);

    public async Task InitializeAsync() => Peer = await DiscoveryPeer.StartAsync(null, "--Discovery:SelfPreservation=false");

    public async Task DisposeAsync() => await Peer.DisposeAsync();
}
