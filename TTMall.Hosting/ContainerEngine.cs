using System.Diagnostics;

namespace TTMall.Hosting;

/// <summary>Whether a container engine answers, and in words why (not).</summary>
public sealed record ContainerEngineStatus(bool IsAvailable, string Description);

/// <summary>Asks the container engine Aspire would use (ASPIRE_CONTAINER_RUNTIME, else docker) whether its daemon answers.</summary>
public static class ContainerEngine
{
    public static ContainerEngineStatus Probe(TimeSpan? timeout = null)
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured
            ? configured
            : "docker";

        if (Executables.FindOnPath(runtime) is not { } path)
        {
            return new(false, $"'{runtime}' is not installed");
        }

        var result = Executables.Run(path, ["info", "--format", "{{.ServerVersion}}"], timeout ?? TimeSpan.FromSeconds(10));
        if (result.TimedOut)
        {
            return new(false, $"'{runtime} info' did not answer in time");
        }

        return result.ExitCode == 0
            ? new(true, $"{runtime} {result.Output.Trim()}")
            : new(false, $"'{runtime} info' failed: {FirstLine(result.Error)}");
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}

/// <summary>Finding and running the machine's programs.</summary>
public static class Executables
{
    public sealed record RunResult(int ExitCode, string Output, string Error, bool TimedOut);

    public static string? FindOnPath(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        var dirs = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]);
        return dirs.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }

    public static RunResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return new(-1, "", "", TimedOut: true);
        }

        return new(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult(), TimedOut: false);
    }
}
