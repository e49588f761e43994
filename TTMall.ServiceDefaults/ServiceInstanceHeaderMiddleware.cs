using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace TTMall.ServiceDefaults;

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
