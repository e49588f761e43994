using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using TTMall.ServiceDefaults.Discovery;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace TTMall.Gateway;

/// <summary>
/// A request that got no answer from its destination is sent once more, to another destination, when that is safe.
/// <list type="bullet">
/// <item>The connection could not be made, or it broke off before the response began (a replica killed with the
/// request in flight): repeated for GET and HEAD, and for a request carrying an Idempotency-Key (its sender declares
/// a repeat safe; the services that create orders and money answer a repeated key with the first result).</item>
/// <item>The destination sent nothing for <see cref="GatewayOptions.AnswerTimeout"/> (a frozen or stalled replica,
/// which accepts connections and answers nothing until its health probe takes it out): repeated for GET and HEAD only,
/// which read and change nothing, so it does not matter that the first may still be answered. Reads are forwarded
/// with that as YARP's activity timeout; writes keep YARP's default.</item>
/// </list>
/// A plain POST is never repeated. Runs before load balancing, so the second attempt is balanced over the destinations
/// that are left.
/// </summary>
public sealed class RetryOnAnotherDestination(IOptionsMonitor<GatewayOptions> options)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Each cluster as configured, and the same cluster with the answer timeout, for reads.</summary>
    private readonly ConditionalWeakTable<ClusterModel, ClusterModel> _forReads = new();

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        var eligible = IsSafeToRepeat(request);
        if (eligible && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            // The body must be readable a second time.
            request.EnableBuffering();
        }

        var proxy = context.GetReverseProxyFeature();
        var read = IsRead(request);
        if (read && proxy is ReverseProxyFeature feature && options.CurrentValue.AnswerTimeout is { Ticks: > 0 } answerTimeout)
        {
            feature.Cluster = ForReads(feature.Cluster, answerTimeout);
        }

        var candidates = proxy.AvailableDestinations;
        await next();

        if (!eligible || context.Response.HasStarted || context.Features.Get<IForwarderErrorFeature>() is not { } error
            || !(GotNoAnswer(error) || (read && error.Error == ForwarderError.RequestTimedOut)) || proxy.ProxiedDestination is not { } failed)
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
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
        }

        proxy.AvailableDestinations = others;
        await next();
    }

    private ClusterModel ForReads(ClusterModel cluster, TimeSpan answerTimeout)
    {
        if (!_forReads.TryGetValue(cluster, out var forReads) || forReads.Config.HttpRequest?.ActivityTimeout != answerTimeout)
        {
            var request = (cluster.Config.HttpRequest ?? ForwarderRequestConfig.Empty) with { ActivityTimeout = answerTimeout };
            forReads = new ClusterModel(cluster.Config with { HttpRequest = request }, cluster.HttpClient);
            _forReads.AddOrUpdate(cluster, forReads);
        }

        return forReads;
    }

    /// <summary>
    /// The destination sent no response: it refused or dropped the connection, or closed it before the status line.
    /// (Not a timeout: a slow destination may still be working on the request.)
    /// </summary>
    public static bool GotNoAnswer(IForwarderErrorFeature error) =>
        error.Error == ForwarderError.Request
        && (UnreachableEndpointReporter.IsConnectFailure(error.Exception) || error.Exception is HttpRequestException or IOException);

    public static bool IsSafeToRepeat(HttpRequest request) => IsRead(request) || request.Headers.ContainsKey(IdempotencyKeyHeader);

    private static bool IsRead(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
}
