using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>
/// Stands between our client and a discovery server, passing every request through unchanged and noting it, so a
/// test can see which Eureka calls the client makes (full fetch or delta). Answers 502 while the server is down.
/// </summary>
internal sealed class RecordingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(5) };

    private RecordingProxy(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(context => ForwardAsync(context, target));
    }

    public sealed record Request(string Method, string Path, int Status);

    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>http://127.0.0.1:port/eureka/, to give the client as its service URL.</summary>
    public Uri EurekaUri => new(new Uri(_app.Urls.First()), "/eureka/");

    public static async Task<RecordingProxy> StartAsync(Uri target)
    {
        var proxy = new RecordingProxy(target);
        await proxy._app.StartAsync();
        return proxy;
    }

    public override string ToString() => string.Join("\n", Requests.Select(r => $"{r.Method} {r.Path} {r.Status}"));

    private async Task ForwardAsync(HttpContext context, Uri target)
    {
        var request = context.Request;
        using var upstream = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(target, request.Path + request.QueryString));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            upstream.Content = new ByteArrayContent(body.ToArray());
            if (request.ContentType is { } type)
            {
                upstream.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        upstream.Headers.TryAddWithoutValidation("Accept", request.Headers.Accept.ToString());
        if (request.Headers.Authorization.Count > 0)
        {
            upstream.Headers.TryAddWithoutValidation("Authorization", request.Headers.Authorization.ToString());
        }

        int status;
        try
        {
            using var response = await _upstream.SendAsync(upstream);
            status = (int)response.StatusCode;
            context.Response.StatusCode = status;
            var content = await response.Content.ReadAsByteArrayAsync();
            if (response.Content.Headers.ContentType is { } contentType)
            {
                context.Response.ContentType = contentType.ToString();
            }

            await context.Response.Body.WriteAsync(content);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = StatusCodes.Status502BadGateway;
            context.Response.StatusCode = status;
        }

        Requests.Enqueue(new Request(request.Method, request.Path.Value ?? "", status));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
