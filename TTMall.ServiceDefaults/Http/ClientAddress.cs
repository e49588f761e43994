using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TTMall.ServiceDefaults.Http;

/// <summary>
/// Shoppers reach a service through the gateway, which puts the address it saw them connect from in
/// X-Forwarded-For (replacing whatever the client sent). A service believes that header only from the gateway, the
/// one proxy in front of it (on this machine's loopback address, 127.0.0.1 or ::1): then
/// <c>HttpContext.Connection.RemoteIpAddress</c> is the shopper's, for limits and logs. From anyone else the header is
/// ignored, so a caller cannot choose its own address. The gateway, which nothing trusted stands in front of, turns
/// this off (<see cref="ForwardedHeaders.None"/>).
/// </summary>
public static class ClientAddress
{
    public static IServiceCollection AddClientAddressFromGateway(this IServiceCollection services)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            options.ForwardLimit = 1;
            // Not the default 127.0.0.0/8: a test client, or anything else on this machine, may bind 127.0.0.2.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            options.KnownProxies.Add(IPAddress.Loopback);
            options.KnownProxies.Add(IPAddress.IPv6Loopback);
        });
        services.AddTransient<IStartupFilter, FirstInPipeline>();
        return services;
    }

    /// <summary>Before any middleware that looks at the caller's address.</summary>
    private sealed class FirstInPipeline(IOptions<ForwardedHeadersOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (options.Value.ForwardedHeaders != ForwardedHeaders.None)
            {
                app.UseForwardedHeaders();
            }

            next(app);
        };
    }
}
