using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

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

/// <summary>
/// Names the serving replica on every response, so load balancing is visible from the outside. And once the process
/// is stopping (it has left discovery and serves on for the drain time), every response says Connection: close, so
/// clients holding kept-alive connections to it open new ones elsewhere instead of sending a request on a connection
/// the server is about to close.
/// </summary>
public sealed class ServiceInstanceHeaderMiddleware(RequestDelegate next, ServiceInstance instance, IHostApplicationLifetime lifetime)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Set last and only when absent: a response proxied through the gateway keeps the name of the replica behind it.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.TryAdd(ServiceInstance.HeaderName, instance.InstanceId);
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                context.Response.Headers.Connection = "close";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
