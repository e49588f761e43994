namespace TTMall.Hosting;

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
