using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>
/// A tiny HTTP server on loopback standing for one instance in a registry a test writes: <c>/health</c> answers 200,
/// every other path is noted and answered 200 with the server's name (body and X-TTMall-Instance), or, for one that
/// drops requests, cut off before any answer, as a dying replica would.
/// </summary>
internal sealed class NamedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NamedServer(string name, bool dropsRequests)
    {
        Name = name;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(context =>
        {
            if (context.Request.Path == "/health")
            {
                return context.Response.WriteAsync("Healthy");
            }

            Requests.Enqueue(context.Request.Path.Value ?? "");
            if (dropsRequests)
            {
                context.Abort();
                return Task.CompletedTask;
            }

            context.Response.Headers["X-TTMall-Instance"] = name;
            return context.Response.WriteAsync(name);
        });
    }

    public string Name { get; }

    public int Port => new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    /// <summary>Paths of the requests taken (served or dropped), /health left out.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public int Served => Requests.Count;

    public static async Task<NamedServer> StartAsync(string name, bool dropsRequests = false)
    {
        var server = new NamedServer(name, dropsRequests);
        await server._app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
