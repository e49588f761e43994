using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TTMall.Bench.Carts;

/// <summary>
/// One mall service, its Release build run as a child process on a free loopback port in Production, Eureka off,
/// and killed when disposed.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ServiceProcess(string name, ChildProcess process, int port)
    {
        Name = name;
        Process = process;
        BaseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public string Name { get; }

    public ChildProcess Process { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseUri { get; }

    /// <summary>services/TTMall.{Name}/bin/Release/net10.0/TTMall.{Name}.dll in this checkout.</summary>
    /// <exception cref="BenchException">It is not built; the message says how to build it.</exception>
    public static FileInfo Locate(string project)
    {
        var root = new DirectoryInfo(TTMall.Tests.Shared.Repository.Root);
        var dll = new FileInfo(Path.Combine(root.FullName, "services", project, "bin", "Release", "net10.0", $"{project}.dll"));
        return dll.Exists
            ? dll
            : throw new BenchException(
                $"""
                {project} is not built: {dll.FullName} is missing. Build it first:
                  cd {root.FullName} && dotnet build -c Release services/{project}
                (or run this benchmark with `dotnet run -c Release --project bench/TTMall.Bench.Carts`, which builds it).
                """);
    }

    public static async Task<ServiceProcess> StartAsync(
        FileInfo dll, IReadOnlyDictionary<string, string> environment, HttpClient http, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var info = new ProcessStartInfo(DotnetHost())
        {
            // Its appsettings.json (log levels) is found in the content root, the working directory.
            WorkingDirectory = dll.DirectoryName!,
            ArgumentList = { dll.FullName, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" },
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Eureka__Client__Enabled"] = "false";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var service = new ServiceProcess(Path.GetFileNameWithoutExtension(dll.Name), ChildProcess.Start(info), port);
        try
        {
            await service.WaitUntilHealthyAsync(http, cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public void EnsureAlive()
    {
        if (Process.HasExited)
        {
            throw new BenchException($"{Name} died (exit {Process.ExitCode}):\n{Process.Output}");
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private async Task WaitUntilHealthyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartTimeout)
        {
            if (Process.HasExited)
            {
                throw new BenchException($"{Name} exited at start (code {Process.ExitCode}):\n{Process.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "health"), cancellationToken);
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

        throw new BenchException($"{Name} was not healthy on {BaseUri} within {StartTimeout.TotalSeconds:F0} s:\n{Process.Output}");
    }

    /// <summary>The dotnet host running this tool (so the service runs on the same runtime), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>A port nothing listens on now. Another process could take it before the service does; unlikely enough on loopback.</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
