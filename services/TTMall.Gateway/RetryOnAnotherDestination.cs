using TTMall.ServiceDefaults.Discovery;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace TTMall.Gateway;

/// <summary>
/// A request that got no answer from its destination (the connection could not be made, or it broke off before the
/// response began: a replica killed with the request in flight) is sent once more, to another destination, when
/// that is safe: GET and HEAD, or a request carrying an Idempotency-Key (its sender declares a repeat safe; the
/// services that create orders and money answer a repeated key with the first result). A plain POST is never repeated. Runs before load balancing, so the second attempt is balanced over the
/// destinations that are left.
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
            || !GotNoAnswer(error) || proxy.ProxiedDestination is not { } failed)
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

    /// <summary>
    /// The destination sent no response: it refused or dropped the connection, or closed it before the status line.
    /// (Not a timeout: a slow destination may still be working on the request.)
    /// </summary>
    public static bool GotNoAnswer(IForwarderErrorFeature error) =>
        error.Error == ForwarderError.Request
        && (UnreachableEndpointReporter.IsConnectFailure(error.Exception) || error.Exception is HttpRequestException or IOException);

    public static bool IsSafeToRepeat(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.Headers.ContainsKey(IdempotencyKeyHeader);
}
