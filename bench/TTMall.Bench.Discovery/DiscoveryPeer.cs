using System.Diagnostics;
using System.Globalization;
using TTMall.Testing;

namespace TTMall.Bench.Discovery;

/// <summary>
/// One discovery server, started from its Release build on a free loopback port, alone (no peers, no Eureka
/// client of its own, self-preservation off as in the mall's local profile), and killed when disposed.
/// </summary>
public sealed class DiscoveryPeer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _process;

    private DiscoveryPeer(ChildProcess process, int port)
    {
        _process = process;
        BaseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseUri { get; }

    /// <summary>http://127.0.0.1:port/eureka/ (the service URL clients are given).</summary>
    public Uri EurekaUri => new(BaseUri, "eureka/");

    public ChildProcess Process => _process;

    /// <summary>The server's dll: the one given, else services/TTMall.Discovery's Release build in this checkout.</summary>
    /// <exception cref="BenchException">There is none; the message says how to build it.</exception>
    public static FileInfo Locate(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? new FileInfo(given) : throw new BenchException($"No server dll at {given}.");
        }

        var root = RepositoryRoot()
            ?? throw new BenchException(
                $"Cannot find the TT Mall checkout above {AppContext.BaseDirectory} (no TTMall.sln); pass --server-dll PATH.");
        var dll = new FileInfo(Path.Combine(root.FullName, "services", "TTMall.Discovery", "bin", "Release", "net10.0", "TTMall.Discovery.dll"));
        return dll.Exists
            ? dll
            : throw new BenchException(
                $"""
                The discovery server is not built: {dll.FullName} is missing. Build it first:
                  cd {root.FullName} && dotnet build -c Release services/TTMall.Discovery
                (or run this benchmark with `dotnet run -c Release --project bench/TTMall.Bench.Discovery`, which builds it).
                """);
    }

    /// <summary>Source files of the server and its libraries changed after <paramref name="dll"/> was built, if any.</summary>
    public static IReadOnlyList<string> NewerSources(FileInfo dll)
    {
        if (RepositoryRoot() is not { } root)
        {
            return [];
        }

        string[] projects = ["services/TTMall.Discovery", "TTMall.Eureka", "TTMall.ServiceDefaults"];
        return [.. projects
            .Select(p => Path.Combine(root.FullName, p))
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.GetLastWriteTimeUtc(f) > dll.LastWriteTimeUtc)
            .Select(f => Path.GetRelativePath(root.FullName, f))];
    }

    public static async Task<DiscoveryPeer> StartAsync(
        FileInfo dll, BenchSettings settings, string secret, HttpClient http, CancellationToken cancellationToken)
    {
        // The registry's bounds, raised to hold the fleet and the instances the rounds add: what is measured is the
        // server's speed at that size, not its limits.
        var instances = (settings.Instances + 100).ToString(CultureInfo.InvariantCulture);
        var bytes = ((settings.Instances + 100) * 4L * 1024).ToString(CultureInfo.InvariantCulture);
        var port = FreePort.OnLoopback();
        var info = new ProcessStartInfo(DotnetHost())
        {
            // Its appsettings.json (log levels) is found in the content root, the working directory.
            WorkingDirectory = dll.DirectoryName!,
            ArgumentList =
            {
                dll.FullName,
                "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                "--Eureka:Client:Enabled=false",
                "--Discovery:SelfPreservation=false",
                $"--Discovery:DeltaRetentionSeconds={settings.DeltaRetentionSeconds.ToString(CultureInfo.InvariantCulture)}",
                $"--Discovery:MaxInstances={instances}",
                $"--Discovery:MaxInstancesPerApp={instances}",
                $"--Discovery:MaxRegistryBytes={bytes}",
                $"--Discovery:MaxDeltaBytes={bytes}",
                "--Discovery:RegistrationsPerSecond=100000",
            },
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Discovery__Secret"] = secret;
        foreach (var (name, value) in settings.ServerEnvironment)
        {
            info.Environment[name] = value;
        }

        var peer = new DiscoveryPeer(ChildProcess.Start(info), port);
        try
        {
            await peer.WaitUntilAnsweringAsync(http, cancellationToken);
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitUntilAnsweringAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new BenchException($"The discovery server exited at start (code {_process.ExitCode}):\n{_process.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(EurekaUri, "apps"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new BenchException($"The discovery server did not answer on {BaseUri} within {StartTimeout.TotalSeconds:F0} s:\n{_process.Output}");
    }

    private static DirectoryInfo? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TTMall.sln")))
            {
                return dir;
            }
        }

        return null;
    }

    /// <summary>The dotnet host running this tool (so the server runs on the same runtime), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
