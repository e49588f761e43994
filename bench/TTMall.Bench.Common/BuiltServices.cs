using TTMall.Testing;

namespace TTMall.Bench;

/// <summary>The mall's services as a benchmark runs them: their builds in services/, each a <see cref="ServiceProcess"/>.</summary>
public static class BuiltServices
{
    /// <summary>The configuration of the builds a <see cref="ServiceProcess"/> starts: this tool's own.</summary>
    public static string Configuration => Repository.Configuration;

    /// <summary>The service's dll, as <see cref="ServiceProcess"/> starts it.</summary>
    /// <exception cref="BenchException">It is not built; the message says how to build it.</exception>
    public static FileInfo Locate(string project)
    {
        try
        {
            return new FileInfo(ServiceProcess.DllOf(project));
        }
        catch (FileNotFoundException e)
        {
            throw new BenchException($"{e.Message} Build it with: dotnet build -c {Repository.Configuration} services/{project} (dotnet run -c Release of this tool does).");
        }
    }

    /// <summary>Starts the service and waits until it is healthy.</summary>
    /// <exception cref="BenchException">It exited while starting, or was not healthy in time (it is left running: dispose it).</exception>
    public static async Task StartHealthyAsync(this ServiceProcess service, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        try
        {
            await service.StartAsync(timeout, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            throw new BenchException(e.Message);
        }
    }

    /// <exception cref="BenchException">The service is no longer running.</exception>
    public static void EnsureAlive(this ServiceProcess service)
    {
        if (!service.IsRunning)
        {
            throw new BenchException($"{service.Name} died (exit {service.ExitCode}):\n{service.Log}");
        }
    }
}
