namespace TTMall.ServiceDefaults;

/// <summary>Which process this is: the service's name and this replica's id, as the dashboard shows them.</summary>
public sealed record ServiceInstance(string ServiceName, string InstanceId)
{
    public const string HeaderName = "X-TTMall-Instance";

    /// <summary>
    /// The orchestrator names each replica (OTEL_SERVICE_NAME plus service.instance.id in OTEL_RESOURCE_ATTRIBUTES);
    /// outside it, the process id keeps replicas on one machine apart.
    /// </summary>
    public static ServiceInstance FromEnvironment(string applicationName)
    {
        var serviceName = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } otelName ? otelName : applicationName;
        var attributes = Environment.GetEnvironmentVariable("OTEL_RESOURCE_ATTRIBUTES") ?? "";
        var instanceId = ParseInstanceId(attributes) ?? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new(serviceName, instanceId.StartsWith(serviceName, StringComparison.Ordinal) ? instanceId : $"{serviceName}-{instanceId}");
    }

    internal static string? ParseInstanceId(string resourceAttributes) =>
        resourceAttributes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0] == "service.instance.id" && pair[1].Length > 0)
            .Select(pair => pair[1])
            .FirstOrDefault();
}
