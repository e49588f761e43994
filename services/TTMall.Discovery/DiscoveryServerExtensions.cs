using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using TTMall.Discovery.Registry;
using TTMall.Discovery.Replication;

namespace TTMall.Discovery;

public static class DiscoveryServerExtensions
{
    public static IHostApplicationBuilder AddDiscoveryServer(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DiscoveryOptions.Section);
        builder.Services.Configure<DiscoveryOptions>(section);
        var options = section.Get<DiscoveryOptions>() ?? new DiscoveryOptions();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<InstanceRegistry>();
        builder.Services.AddSingleton<RegistryOperations>();
        builder.Services.AddSingleton<PeerReplicator>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<PeerReplicator>());
        builder.Services.AddHostedService<PeerSync>();
        builder.Services.AddHostedService<Eviction>();
        builder.Services.AddHttpClient(PeerReplicator.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(5));

        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return ValueTask.CompletedTask;
            };
            // Only clients' registrations: a peer replaying its registry must never be turned away.
            limiter.AddPolicy(EurekaApi.RegisterRateLimitPolicy, context =>
                string.Equals(context.Request.Headers[PeerReplicator.ReplicationHeader], "true", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetNoLimiter("replication")
                    : RateLimitPartition.GetTokenBucketLimiter("clients", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.RegistrationsPerSecond,
                        TokensPerPeriod = options.RegistrationsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    }));
        });

        return builder;
    }
}
