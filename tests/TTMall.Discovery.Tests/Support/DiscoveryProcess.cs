namespace TTMall.Discovery.Tests.Support;

/// <summary>
/// A discovery server as a <see cref="ServiceProcess"/>, configured as <see cref="DiscoveryPeer"/> configures one, for tests
/// that stop it gracefully (SIGTERM: <see cref="ServiceProcess.StopAsync"/>), which DiscoveryPeer does not offer. It logs
/// one line per entry, so a line's level is its first word (<see cref="Complaints"/>).
/// </summary>
public static class DiscoveryProcess
{
    public static ServiceProcess Create(int port, params string[] arguments)
    {
        var process = new ServiceProcess("TTMall.Discovery", $"discovery-{port}", port)
        {
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["OTEL_SERVICE_NAME"] = $"discovery-{port}",
                ["Discovery__Secret"] = TestDiscovery.Secret,
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            },
            Arguments = { "--Eureka:Client:Enabled=false" },
        };
        process.Arguments.AddRange(arguments);
        return process;
    }

    public static EurekaTestClient Client(ServiceProcess process) => new(new Uri(process.BaseUri, "eureka/"));

    /// <summary>The lines logged at warning level or above, and anything the runtime wrote about an unhandled exception.</summary>
    public static IReadOnlyList<string> Complaints(ServiceProcess process) =>
        [.. process.Lines.Select(l => l.Text).Where(text =>
            text.StartsWith("warn:", StringComparison.Ordinal) || text.StartsWith("fail:", StringComparison.Ordinal)
            || text.StartsWith("crit:", StringComparison.Ordinal) || text.Contains("Unhandled exception", StringComparison.Ordinal))];
}
