using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>One instance as the fake registry serves it: its JSON exactly as written, and the status it counts as.</summary>
internal sealed record FakeInstance(string App, string Id, string Status, string Json);

/// <summary>
/// A reply the fake serves in place of its registry: any bytes, announced with a Content-Length (which may promise more
/// than is sent: the connection is then cut when the bytes run out) or, when it is null, sent chunked. A large reply
/// is <paramref name="Body"/>, then <paramref name="Padding"/> bytes of 'x' made as they are sent, then <paramref name="Tail"/>.
/// </summary>
internal sealed record FakeReply(byte[] Body, long? ContentLength, long Padding = 0, byte[]? Tail = null)
{
    public long Length => Body.Length + Padding + (Tail?.Length ?? 0);

    public static FakeReply Text(string text) => Whole(Encoding.UTF8.GetBytes(text));

    public static FakeReply Whole(byte[] body) => new(body, body.Length);

    public static FakeReply Chunked(byte[] body) => new(body, null);
}

/// <summary>
/// A scripted Eureka server in this process, serving whatever registry a test writes, including what our discovery
/// server refuses to hold: the readers (clients, the gateway) are tested against a registry that cannot be trusted.
/// <c>GET apps/</c> serves the instances given, in the order given, with the apps hashcode the protocol defines (every
/// instance counted by the status it is served with, bad ones included); <c>GET apps/delta</c> serves the changes made
/// since <see cref="Set"/>, each with its actionType, and the hashcode of the whole registry. Registrations, heartbeats
/// and cancels of the clients under test are answered 204/200 and otherwise ignored: they are not in the registry.
/// </summary>
internal sealed class FakeEureka : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<FakeInstance> _registry = [];
    private readonly List<(string Action, FakeInstance Instance)> _delta = [];
    private int _fullFetches;
    private int _deltaFetches;
    private long _mostSentOnOneConnection;

    private FakeEureka()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Counted where Kestrel hands bytes to the socket: what the application writes after a client hung up is
        // dropped by Kestrel without a word, so only there does the count say what a client could have read.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            connection.Transport = new CountingPipe(connection.Transport, this);
            return next(connection);
        })));
        _app = builder.Build();
        _app.Run(AnswerAsync);
    }

    /// <summary>http://127.0.0.1:port/eureka/, to give the clients as their service URL.</summary>
    public Uri EurekaUri => new(new Uri(_app.Urls.First()), "/eureka/");

    /// <summary><c>GET apps/</c> requests answered so far, whatever was served.</summary>
    public int FullFetches => Volatile.Read(ref _fullFetches);

    /// <summary><c>GET apps/delta</c> requests answered so far, whatever was served.</summary>
    public int DeltaFetches => Volatile.Read(ref _deltaFetches);

    /// <summary>Every request: method, path, status answered.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>When set, served for <c>apps/</c> instead of the registry.</summary>
    public FakeReply? FullReply { get; set; }

    /// <summary>When set, served for <c>apps/delta</c> instead of the registry's changes.</summary>
    public FakeReply? DeltaReply { get; set; }

    /// <summary>
    /// The most bytes sent on one connection: for a reply larger than the client takes, what it took before it hung up,
    /// plus what the sockets' buffers hold (a few MB on loopback).
    /// </summary>
    public long MostSentOnOneConnection => Interlocked.Read(ref _mostSentOnOneConnection);

    public static async Task<FakeEureka> StartAsync()
    {
        var fake = new FakeEureka();
        await fake._app.StartAsync();
        return fake;
    }

    /// <summary>The whole registry, in the order given (the order of applications follows their first instance); the delta is emptied.</summary>
    public void Set(IEnumerable<FakeInstance> instances)
    {
        lock (_lock)
        {
            _registry.Clear();
            _registry.AddRange(instances);
            _delta.Clear();
        }
    }

    /// <summary>Adds an instance; deltas from now on carry it as ADDED.</summary>
    public void Add(FakeInstance instance)
    {
        lock (_lock)
        {
            _registry.Add(instance);
            _delta.Add(("ADDED", instance));
        }
    }

    /// <summary>The whole registry as served by <c>apps/</c> now.</summary>
    public string FullDocument()
    {
        lock (_lock)
        {
            return Document(_registry.Select(i => (i, i.Json)), HashCode(_registry));
        }
    }

    /// <summary>The apps hashcode as the protocol defines it: every instance counted by status, statuses in ordinal order.</summary>
    public static string HashCode(IEnumerable<FakeInstance> instances) =>
        string.Concat(instances.GroupBy(i => i.Status, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}_{g.Count().ToString(CultureInfo.InvariantCulture)}_"));

    public override string ToString() => string.Join("\n", Requests);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        FakeReply? reply = null;
        var status = StatusCodes.Status404NotFound;
        if (HttpMethods.IsGet(request.Method) && path is "/eureka/apps/" or "/eureka/apps" or "/eureka/apps/delta")
        {
            var delta = path.EndsWith("/delta", StringComparison.Ordinal);
            if (delta)
            {
                Interlocked.Increment(ref _deltaFetches);
            }
            else
            {
                Interlocked.Increment(ref _fullFetches);
            }

            reply = (delta ? DeltaReply : FullReply) ?? FakeReply.Text(delta ? DeltaDocument() : FullDocument());
            status = StatusCodes.Status200OK;
        }
        else if (HttpMethods.IsPost(request.Method) && path.StartsWith("/eureka/apps/", StringComparison.Ordinal))
        {
            status = StatusCodes.Status204NoContent;
        }
        else if ((HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method)) && path.StartsWith("/eureka/apps/", StringComparison.Ordinal))
        {
            status = StatusCodes.Status200OK;
        }

        Requests.Enqueue($"{request.Method} {path} {status}");
        context.Response.StatusCode = status;
        if (reply is not null)
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = reply.ContentLength;

            try
            {
                await WriteAsync(reply.Body);
                var padding = new byte[64 * 1024];
                Array.Fill(padding, (byte)'x');
                for (var left = reply.Padding; left > 0; left -= padding.Length)
                {
                    await WriteAsync(padding.AsMemory(0, (int)Math.Min(left, padding.Length)));
                }

                await WriteAsync(reply.Tail ?? []);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // A client that refuses a document (too large) hangs up midway.
            }

            async Task WriteAsync(ReadOnlyMemory<byte> bytes)
            {
                var flushed = await context.Response.BodyWriter.WriteAsync(bytes, context.RequestAborted);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    throw new OperationCanceledException("the client hung up");
                }
            }

            if (reply.ContentLength > reply.Length)
            {
                // Fewer bytes than promised: the connection breaks off, as when a server dies mid-response.
                context.Abort();
            }
        }
    }

    private string DeltaDocument()
    {
        lock (_lock)
        {
            return Document(
                _delta.Select(d => (d.Instance, d.Instance.Json.Insert(d.Instance.Json.IndexOf('{', StringComparison.Ordinal) + 1, $"\"actionType\":\"{d.Action}\","))),
                HashCode(_registry));
        }
    }

    /// <summary>The envelope, applications in the order of their first instance.</summary>
    private static string Document(IEnumerable<(FakeInstance Instance, string Json)> instances, string hashCode)
    {
        var apps = instances.GroupBy(x => x.Instance.App, StringComparer.Ordinal);
        var text = new StringBuilder();
        text.Append("{\"applications\":{\"versions__delta\":\"1\",\"apps__hashcode\":\"").Append(hashCode).Append("\",\"application\":[");
        text.AppendJoin(",", apps.Select(app => $"{{\"name\":\"{app.Key}\",\"instance\":[{string.Join(",", app.Select(x => x.Json))}]}}"));
        return text.Append("]}}").ToString();
    }

    private void Sent(long total)
    {
        long most;
        while (total > (most = MostSentOnOneConnection) && Interlocked.CompareExchange(ref _mostSentOnOneConnection, total, most) != most)
        {
        }
    }

    /// <summary>A connection's transport, counting the bytes written towards its socket.</summary>
    private sealed class CountingPipe(IDuplexPipe inner, FakeEureka fake) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output { get; } = new CountingWriter(inner.Output, fake);
    }

    private sealed class CountingWriter(PipeWriter inner, FakeEureka fake) : PipeWriter
    {
        private long _total;

        public override void Advance(int bytes)
        {
            inner.Advance(bytes);
            fake.Sent(_total += bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
    }
}
