namespace TTMall.Discovery.Tests.Support;

/// <summary>Configuration arguments the peer tests share.</summary>
public static class PeerArguments
{
    public const string NoSelfPreservation = "--Discovery:SelfPreservation=false";

    /// <summary>
    /// A starting peer waits this long (30 s, not 3) for the other's registry: on a loaded machine the first request of a
    /// fresh process, or the first answer of a fresh server, can take seconds, and a copy that times out is a silent
    /// empty registry. A peer that is not listening refuses at once, so nothing waits for a peer that is away.
    /// </summary>
    public const string PatientStartupSync = "--Discovery:StartupSyncTimeoutMs=30000";

    public static string PeerUrl(int port) => $"--Discovery:PeerUrls:0=http://127.0.0.1:{port}/eureka/";
}
