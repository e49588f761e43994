using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TTMall.ServiceDefaults.Http;

/// <summary>
/// HEAD is answered wherever GET is (RFC 9110: a server should), once for every endpoint rather than by mapping each
/// twice. A HEAD request is routed as a GET, and is a HEAD again once its endpoint is chosen, so the endpoint, the
/// logs and the gateway's proxy (which forwards the method it sees) all see HEAD. Kestrel decides whether a response
/// has a body from the method it parsed off the wire, not from <see cref="HttpRequest.Method"/>: it sends the GET's
/// status and headers (Content-Length too) without the body, and keeps the connection, even when the endpoint writes
/// fewer bytes than its Content-Length says (checked on HTTP/1.1 with keep-alive).
/// </summary>
public static class HeadRequests
{
    private static readonly object RoutedAsGet = new();

    /// <summary>Before the application's own pipeline, so before the routing WebApplication puts at its start.</summary>
    internal sealed class RouteAsGet : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (HttpMethods.IsHead(context.Request.Method))
                {
                    context.Request.Method = HttpMethods.Get;
                    context.Items[RoutedAsGet] = true;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>After routing: the endpoint has been chosen as for a GET.</summary>
    public static IApplicationBuilder UseHeadAgainAfterRouting(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Items.Remove(RoutedAsGet))
            {
                context.Request.Method = HttpMethods.Head;
            }

            return next(context);
        });
}
