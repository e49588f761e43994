using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace TTMall.ServiceDefaults.Validation;

/// <summary>
/// Refuses, before anything reads it, a body the endpoint would refuse anyway: one whose declared length is over the
/// bound (413; Kestrel would otherwise throw only on the first read, and an endpoint that reads no body would run), and
/// JSON in any charset but UTF-8 (415; the framework looks the charset up and transcodes, which throws for an unknown
/// or unsupported one: a 500). A chunked body over the bound is stopped by Kestrel while it is read, and the
/// framework's 413 comes through <see cref="BadRequestExceptionHandler"/>.
/// </summary>
internal sealed class RequestBodyRules(RequestDelegate next, IProblemDetailsService problemDetails)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is { } length
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max
            && length > max)
        {
            return RefuseTooLargeAsync(context, length, max);
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not null
            && request.ContentType is { } contentType
            && MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && IsJson(mediaType)
            && mediaType.Charset.HasValue)
        {
            var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
            if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                return RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                    $"Only UTF-8 JSON is accepted (application/json, with charset utf-8 or none), not charset '{charset}'.");
            }

            // "UTF8" and a quoted "utf-8" are UTF-8 too, but the framework would look them up as encoding names and fail.
            request.ContentType = $"{mediaType.MediaType}; charset=utf-8";
        }

        if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            CloseUnlessReadToTheEnd(context);
        }

        return next(context);
    }

    /// <summary>The same test the framework makes before it reads a JSON body: application/json or any +json type.</summary>
    private static bool IsJson(MediaTypeHeaderValue mediaType) =>
        mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A chunked body that the endpoint did not read to its end (it takes none, or refused it first) must be drained by
    /// Kestrel before the connection can carry another request, and when more of it is left than the bound, Kestrel
    /// closes the connection instead, after the response has gone out without a word about it: the client's next request
    /// on that connection then fails. Saying Connection: close with the response spares the client (and the gateway's
    /// pool) that; a body of unknown length is rare enough that the new connection costs nothing that matters.
    /// </summary>
    private static void CloseUnlessReadToTheEnd(HttpContext context)
    {
        var body = new EndObservingStream(context.Request.Body);
        context.Request.Body = body;
        context.Response.OnStarting(() =>
        {
            if (!body.EndSeen)
            {
                context.Response.Headers.Connection = "close";
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// A client that did not wait for 100 Continue is still sending the body when the 413 goes out. Were the connection
    /// closed at once, its kernel would answer the rest of the body with a reset, and the client, busy sending, would
    /// likely see the reset instead of the 413. So the body is read and thrown away for a little while after the answer
    /// (a lingering close, as web servers have long done), and the connection is closed after that.
    /// </summary>
    private async Task RefuseTooLargeAsync(HttpContext context, long length, long max)
    {
        // Said now, a client (the gateway's connection pool too) does not send its next request on this connection.
        context.Response.Headers.Connection = "close";
        await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The body is {length} bytes; this endpoint takes at most {max}.");
        await context.Response.CompleteAsync();

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bound)
        {
            bound.MaxRequestBodySize = null;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            linger.CancelAfter(RequestBodies.LingerAfterRefusal);
            long drained = 0;
            int read;
            while (drained < RequestBodies.LingerAtMostBytes && (read = await context.Request.Body.ReadAsync(buffer, linger.Token)) > 0)
            {
                drained += read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // The time is up, or the client gave up: the connection closes either way.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        // A client whose Accept rules out JSON gets the status alone.
        await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>The request body as it is, noting whether a read has reached its end.</summary>
    private sealed class EndObservingStream(Stream inner) : Stream
    {
        public bool EndSeen { get; private set; }

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Seen(inner.Read(buffer, offset, count), count);

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Seen(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken), count);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Seen(await inner.ReadAsync(buffer, cancellationToken), buffer.Length);

        private int Seen(int read, int asked)
        {
            EndSeen |= read == 0 && asked > 0;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
