using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TTMall.ServiceDefaults;
using TTMall.ServiceDefaults.Validation;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Transforms;

namespace TTMall.Gateway;

public static class GatewayExtensions
{
    public const string GatewayHeader = "X-TTMall-Gateway";
    private const string PerClientPolicy = "per-client";

    /// <summary>YARP over the live registry, with eager passive health, fast active health and per-client rate limits.</summary>
    public static IHostApplicationBuilder AddMallGateway(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(GatewayOptions.Section);
        builder.Services.Configure<GatewayOptions>(section);
        var options = section.Get<GatewayOptions>() ?? new GatewayOptions();

        // After the services' default bound (AddServiceDefaults), which it replaces here.
        builder.Services.AddRequestBodyBound(options.MaxRequestBodyBytes);
        builder.Services.AddSharedListenPort(options.FrontDoorUrl);
        // Clients connect to the gateway directly: nothing in front of it is believed about who they are.
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded => forwarded.ForwardedHeaders = ForwardedHeaders.None);
        builder.Services.AddReverseProxy().AddTransforms(transforms =>
        {
            // Set, never appended to: what a client sends in X-Forwarded-* is replaced by what the gateway saw.
            transforms.UseDefaultForwarders = false;
            transforms.AddXForwarded(ForwardedTransformActions.Set);
        });
        builder.Services.AddSingleton<IProxyConfigProvider, EurekaProxyConfigProvider>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EjectOnTransportFailure>();
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy>(provider => provider.GetRequiredService<EjectOnTransportFailure>());
        builder.Services.AddSingleton<IActiveHealthCheckPolicy, ProbeDecides>();
        // ProbeDecides says what the probes change, telling a starting replica from a failing one; YARP's own health
        // logging warns about every failed probe alike, so only its errors are kept.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Health", LogLevel.Error);
        builder.Services.AddSingleton<RetryOnAnotherDestination>();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await TypedResults.Problem(
                    title: "Too many requests",
                    detail: "This client sends more requests than the mall accepts; wait a moment and try again.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
            limiter.AddPolicy(PerClientPolicy, context => options.RateLimit.Enabled
                ? RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimit.Burst,
                    TokensPerPeriod = Math.Max(1, options.RateLimit.PermitsPerSecond / 10),
                    ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("unlimited"));
        });
        return builder;
    }

    public static WebApplication MapMallGateway(this WebApplication app)
    {
        var gateway = app.Services.GetRequiredService<ServiceInstance>().InstanceId;
        app.Use((context, next) =>
        {
            // When the response starts: a request sent again to another replica starts over with a cleared response.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[GatewayHeader] = gateway;
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseRateLimiter();
        var retry = app.Services.GetRequiredService<RetryOnAnotherDestination>();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(retry.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        }).RequireRateLimiting(PerClientPolicy);

        // After the services' routes, before the frontend's: an API nobody serves is a 404, not the shop's page.
        app.Map("/api/{**rest}", (string? rest) => TypedResults.Problem(
                title: "No such API", detail: $"No service of the mall answers /api/{rest}.", statusCode: StatusCodes.Status404NotFound))
            .WithOrder(1)
            .ExcludeFromDescription();
        return app;
    }
}
