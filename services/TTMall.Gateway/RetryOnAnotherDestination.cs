using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using TTMall.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace TTMall.Gateway;

/// <summary>
/// A request that got no answer from its destination is sent once more, to another destination, when that is safe.
/// <list type="bullet">
/// <item>The connection could not be made, or it broke off before the response began (a replica killed with the
/// request in flight): repeated when <see cref="RepeatableRequests.MayRepeat(HttpRequest)"/> (an idempotent method, or
/// an Idempotency-Key).</item>
/// <item>The destination sent nothing for <see cref="GatewayOptions.AnswerTimeout"/> (a frozen or stalled replica,
/// which accepts connections and answers nothing until its health probe takes it out): repeated for GET and HEAD only,
/// which read and change nothing (<see cref="RepeatableRequests.IsRead"/>), so it does not matter that the first may
/// still be answered. Reads are forwarded with that as YARP's activity timeout; writes keep YARP's default.</item>
/// </list>
/// A POST (or PATCH) without a key is never repeated, nor a request whose body is larger than
/// <see cref="GatewayOptions.MaxRepeatableBodyBytes"/> (declared, or found by reading a chunked one that far): only a body kept whole can be sent again, and the gateway
/// keeps only small ones. Runs before load balancing, so the second attempt is balanced over the destinations
/// that are left.
/// </summary>
public sealed class RetryOnAnotherDestination(IOptionsMonitor<GatewayOptions> options)
{
    /// <summary>Each cluster as configured, and the same cluster with the answer timeout, for reads.</summary>
    private readonly ConditionalWeakTable<ClusterModel, ClusterModel> _forReads = new();

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        var maxBody = options.CurrentValue.MaxRepeatableBodyBytes;
        var eligible = RepeatableRequests.MayRepeat(request) && BodyFits(request, maxBody);
        if (eligible && request.ContentLength > 0)
        {
            // The body must be readable a second time; it fits, so it is kept in memory.
            request.EnableBuffering(bufferThreshold: (int)maxBody, bufferLimit: maxBody);
        }
        else if (eligible && request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)
        {
            // Sent in chunks (as JSON serialisers stream it): only reading tells whether it is small enough to keep.
            eligible = await KeepIfSmallAsync(context, maxBody);
        }

        var proxy = context.GetReverseProxyFeature();
        var read = RepeatableRequests.IsRead(request.Method);
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
        && (RepeatableRequests.NothingWasSent(error.Exception) || error.Exception is HttpRequestException or IOException);

    /// <summary>No body, one of a known length up to <paramref name="maxBytes"/>, or one sent in chunks (read to find out).</summary>
    public static bool BodyFits(HttpRequest request, long maxBytes) =>
        request.ContentLength is not { } length || length <= maxBytes;

    /// <summary>
    /// Reads a chunked body up to <paramref name="maxBytes"/>: if it ends by then, it is kept in memory and can be sent
    /// again; if not, what was read goes first and the rest streams on, once.
    /// </summary>
    private static async Task<bool> KeepIfSmallAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        var kept = new MemoryStream();
        context.Response.RegisterForDispose(kept);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer, context.RequestAborted);
            if (read == 0)
            {
                kept.Position = 0;
                request.Body = kept;
                return true;
            }

            kept.Write(buffer, 0, read);
            if (kept.Length > maxBytes)
            {
                kept.Position = 0;
                request.Body = new ReadThenRest(kept, request.Body);
                return false;
            }
        }
    }

    /// <summary>A body already partly read: the part kept, then the rest from the client.</summary>
    private sealed class ReadThenRest(Stream first, Stream rest) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            var read = await first.ReadAsync(destination, cancellationToken);
            return read > 0 ? read : await rest.ReadAsync(destination, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The body is read asynchronously.");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
