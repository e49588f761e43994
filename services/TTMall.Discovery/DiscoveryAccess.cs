using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using TTMall.Discovery.Registry;
using TTMall.Discovery.Replication;
using TTMall.Eureka;

namespace TTMall.Discovery;

/// <summary>Who sent a request, by its credential: a peer, or an application (its name upper-case).</summary>
public sealed record Caller(string? App)
{
    public static readonly Caller Peer = new((string?)null);

    public bool IsPeer => App is null;
}

/// <summary>
/// Who may talk to the registry, and how. Every request must name this server as localhost, 127.0.0.1 or [::1] with
/// its own port (421 otherwise), so a web page whose DNS name turns into 127.0.0.1 cannot talk to it. Reads are open:
/// the registry holds addresses only, and it listens on loopback. Every write needs a credential
/// (<see cref="DiscoveryCredentials"/>, HTTP Basic, 401 without one): an application's writes its own application's
/// instances only, a peer's anything, and only a peer's request may carry the replication header (403 otherwise).
/// A write with a body takes UTF-8 JSON only (415), so no HTML form or <c>text/plain</c> fetch of a web page gets in.
/// </summary>
public static class DiscoveryAccess
{
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Refuses a request whose Host header names anything but this server on loopback.</summary>
    public static IApplicationBuilder UseLoopbackHostOnly(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var host = context.Request.Host;
        var ours = host.Port == context.Connection.LocalPort
            && LoopbackHosts.Contains(host.Host, StringComparer.OrdinalIgnoreCase);
        return ours
            ? next(context)
            : Problem(StatusCodes.Status421MisdirectedRequest, "Misdirected request",
                $"This server answers to localhost, 127.0.0.1 or [::1] on port {context.Connection.LocalPort} only.").ExecuteAsync(context);
    });

    /// <summary>
    /// The endpoint filter on the Eureka API: authenticates writes (and any request with a credential or the replication
    /// header), and lets an application write under its own name only.
    /// </summary>
    public static ValueTask<object?> Authorize(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var request = context.Request;
        var write = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
        var replication = request.Headers.ContainsKey(PeerReplicator.ReplicationHeader);
        if (!write && !replication && !request.Headers.ContainsKey("Authorization"))
        {
            return next(invocation);
        }

        var options = context.RequestServices.GetRequiredService<IOptions<DiscoveryOptions>>().Value;
        if (Identify(request, options.Secret) is not { } caller)
        {
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{DiscoveryCredentials.Realm}\", charset=\"UTF-8\"";
            return Refuse(StatusCodes.Status401Unauthorized, "Unauthorized",
                "Writes need the application's credential, as HTTP Basic from the service URL (http://APP:password@localhost:8761/eureka/).");
        }

        context.Items[typeof(Caller)] = caller;
        if (replication && !caller.IsPeer)
        {
            return Refuse(StatusCodes.Status403Forbidden, "Forbidden", "Replication is accepted from peers only.");
        }

        if (!caller.IsPeer && request.RouteValues["app"] is string app && !string.Equals(app, caller.App, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(StatusCodes.Status403Forbidden, "Forbidden", $"{caller.App} may write its own instances only, not {InstanceRules.Shown(app)}'s.");
        }

        return next(invocation);
    }

    /// <summary>The authenticated caller of this request (after <see cref="Authorize"/>), or null for an anonymous read.</summary>
    public static Caller? CallerOf(HttpContext context) => context.Items[typeof(Caller)] as Caller;

    /// <summary>
    /// Why this application may not register this instance, or null: another application's VIP address (the instance
    /// would be routed to as that application) or another application's instance id (registering it would take it over).
    /// </summary>
    public static string? ForeignClaim(InstanceInfo instance, string app, InstanceRegistry registry)
    {
        foreach (var (field, vips) in new[] { ("vipAddress", instance.VipAddress), ("secureVipAddress", instance.SecureVipAddress) })
        {
            var names = vips?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            // A list that holds no names at all is malformed, and left to the registry's rules (400).
            if (names.All(vip => InstanceRules.IsSafeId(vip, InstanceRules.MaxAppNameLength))
                && names.FirstOrDefault(vip => !string.Equals(vip, app, StringComparison.OrdinalIgnoreCase)) is { } foreign)
            {
                return $"{field} '{InstanceRules.Shown(foreign)}' is not {app}'s; an application's VIP address is its own name";
            }
        }

        return registry.Instance(instance.InstanceId) is { } held && held.App != app
            ? $"instance id '{InstanceRules.Shown(instance.InstanceId)}' belongs to {held.App}"
            : null;
    }

    /// <summary>A 415 problem unless the body is JSON (application/json or any +json type) in UTF-8, or null.</summary>
    public static IResult? NotJson(HttpRequest request)
    {
        var json = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && (string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
                || type.MediaType?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true)
            && IsUtf8(type.CharSet?.Trim('"'));
        return json
            ? null
            : Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Only JSON in UTF-8 is accepted (Content-Type: application/json), not '{InstanceRules.Shown(request.ContentType ?? "none")}'.");
    }

    /// <summary>UTF-8, or no charset (JSON is UTF-8 by definition).</summary>
    private static bool IsUtf8(string? charset) =>
        string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    /// <summary>The caller its Basic credential proves, or null when there is none or it proves nothing.</summary>
    private static Caller? Identify(HttpRequest request, string secret)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        if (string.Equals(user, DiscoveryCredentials.PeerUser, StringComparison.OrdinalIgnoreCase))
        {
            return DiscoveryCredentials.SamePassword(password, DiscoveryCredentials.PeerPassword(secret)) ? Caller.Peer : null;
        }

        return InstanceRules.IsSafeId(user, InstanceRules.MaxAppNameLength)
            && DiscoveryCredentials.SamePassword(password, DiscoveryCredentials.AppPassword(secret, user))
            ? new Caller(user.ToUpperInvariant())
            : null;
    }

    private static ValueTask<object?> Refuse(int status, string title, string detail) => ValueTask.FromResult<object?>(Problem(status, title, detail));

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}
