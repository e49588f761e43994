namespace TTMall.Hosting;

/// <summary>What every service of the mall stands on: the settings, discovery, and the keys access tokens are signed with.</summary>
public sealed record MallPlatform(MallSettings Settings, MallDiscovery Discovery, AccessTokenKeys TokenKeys)
{
    /// <summary>The services added with <see cref="MallServiceExtensions.AddMallService"/>, in order: the ones the gateway routes.</summary>
    public List<string> Services { get; } = [];
}
