using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace TTMall.ServiceDefaults.Validation;

/// <summary>
/// How big a request body may be, and which bodies are read at all. Every command a service takes is a few fields, so
/// the bound is small; an endpoint that takes more says so with <c>RequestSizeLimitAttribute</c> metadata (which routing
/// applies to the request), as a product review does. A body beyond the bound is 413; JSON that is not UTF-8 is 415.
/// </summary>
public static class RequestBodies
{
    /// <summary>
    /// The bound for an endpoint that sets none. The largest body of this size today is a sign-in with its 1,024-character
    /// password bound, every character \u-escaped (about 7.7 KB); an address is at most about 2.2 KB even escaped.
    /// </summary>
    public const long DefaultMaxBytes = 8 * 1024;

    /// <summary>
    /// How long, and how much of, a refused body is still read (and thrown away) after its 413, so that the client reads
    /// the 413: up to Kestrel's old default bound, so a client that was taken up to that is told why it no longer is.
    /// </summary>
    public static readonly TimeSpan LingerAfterRefusal = TimeSpan.FromSeconds(2);

    /// <inheritdoc cref="LingerAfterRefusal"/>
    public const long LingerAtMostBytes = 32 * 1024 * 1024;

    /// <summary>Kestrel's own default is 30 MB, which a JSON endpoint reads and parses in full before it can say no.</summary>
    public static IServiceCollection AddRequestBodyBound(this IServiceCollection services, long maxBytes = DefaultMaxBytes) =>
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = maxBytes);

    /// <summary>After routing (the endpoint's own bound is known then), before authentication: refusing costs less than a token check.</summary>
    public static IApplicationBuilder UseRequestBodyRules(this IApplicationBuilder app) => app.UseMiddleware<RequestBodyRules>();
}
