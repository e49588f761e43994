using System.Globalization;
using TTMall.Testing;

namespace TTMall.Bench.Discovery;

/// <summary>
/// The discovery server this benchmark measures: a <see cref="DiscoveryPeer"/> from its Release build on a free
/// loopback port, alone (no peers, no Eureka client of its own, self-preservation off as in the mall's local profile).
/// </summary>
public static class DiscoveryServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The server's dll: the one given, else services/TTMall.Discovery's Release build in this checkout.</summary>
    /// <exception cref="BenchException">There is none; the message says how to build it.</exception>
    public static FileInfo Locate(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? new FileInfo(given) : throw new BenchException($"No server dll at {given}.");
        }

        var root = Checkout()
            ?? throw new BenchException(
                $"Cannot find the TT Mall checkout above {AppContext.BaseDirectory} (no TTMall.sln); pass --server-dll PATH.");
        var dll = new FileInfo(Path.Combine(root, "services", "TTMall.Discovery", "bin", "Release", "net10.0", "TTMall.Discovery.dll"));
        return dll.Exists
            ? dll
            : throw new BenchException(
                $"""
                The discovery server is not built: {dll.FullName} is missing. Build it first:
                  cd {root} && dotnet build -c Release services/TTMall.Discovery
                (or run this benchmark with `dotnet run -c Release --project bench/TTMall.Bench.Discovery`, which builds it).
                """);
    }

    /// <summary>Source files of the server and its libraries changed after <paramref name="dll"/> was built, if any.</summary>
    public static IReadOnlyList<string> NewerSources(FileInfo dll)
    {
        if (Checkout() is not { } root)
        {
            return [];
        }

        string[] projects = ["services/TTMall.Discovery", "TTMall.Eureka", "TTMall.Eureka.Client", "TTMall.ServiceDefaults"];
        return [.. projects
            .Select(p => Path.Combine(root, p))
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.GetLastWriteTimeUtc(f) > dll.LastWriteTimeUtc)
            .Select(f => Path.GetRelativePath(root, f))];
    }

    /// <exception cref="BenchException">It exited at start, or was not healthy in time.</exception>
    public static async Task<DiscoveryPeer> StartAsync(FileInfo dll, BenchSettings settings, string secret, CancellationToken cancellationToken)
    {
        // The registry's bounds, raised to hold the fleet and the instances the rounds add: what is measured is the
        // server's speed at that size, not its limits.
        var instances = (settings.Instances + 100).ToString(CultureInfo.InvariantCulture);
        var bytes = ((settings.Instances + 100) * 4L * 1024).ToString(CultureInfo.InvariantCulture);
        try
        {
            return await DiscoveryPeer.StartBuildAsync(dll, secret, settings.ServerEnvironment,
                [
                    "--Discovery:SelfPreservation=false",
                    $"--Discovery:DeltaRetentionSeconds={settings.DeltaRetentionSeconds.ToString(CultureInfo.InvariantCulture)}",
                    $"--Discovery:MaxInstances={instances}",
                    $"--Discovery:MaxInstancesPerApp={instances}",
                    $"--Discovery:MaxRegistryBytes={bytes}",
                    $"--Discovery:MaxDeltaBytes={bytes}",
                    "--Discovery:RegistrationsPerSecond=100000",
                ],
                StartTimeout, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            throw new BenchException($"The discovery server did not start: {e.Message}");
        }
    }

    /// <summary>This checkout's root, or null when this tool runs from elsewhere.</summary>
    private static string? Checkout()
    {
        try
        {
            return Repository.Root;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
