using TTMall.ServiceDefaults.Discovery;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace TTMall.Gateway;

/// <summary>
/// A request whose connection to a destination could not be made is sent once more, to another destination,
/// when that is safe: GET and HEAD, or a request carrying an Idempotency-Key (the service answers a repeat with
/// the first result). A plain POST is never repeated. Runs before load balancing, so the second attempt is
/// balanced over the destinations that are left.
/// </summary>
public static class RetryOnAnotherDestination
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var eligible = IsSafeToRepeat(context.Request);
        if (eligible && (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0))
        {
            // The body must be readable a second time.
            context.Request.EnableBuffering();
        }

        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        await next();

        if (!eligible || context.Response.HasStarted || context.Features.Get<IForwarderErrorFeature>() is not { } error
            || !UnreachableEndpointReporter.IsConnectFailure(error.Exception) || proxy.ProxiedDestination is not { } failed)
        {
            return;
        }

        var others = candidates.Where(d => d != failed).ToList();
        if (others.Count == 0)
        {
            return;
        }

        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (context.Request.Body.CanSeek)
        {
            context.Request.Body.Position = 0;
        }

        proxy.AvailableDestinations = others;
        await next();
    }

    public static bool IsSafeToRepeat(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.Headers.ContainsKey(IdempotencyKeyHeader);
}
