using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace TTMall.Gateway;

/// <summary>
/// The gateway's replicas listen on the mall's well-known port themselves, each with SO_REUSEPORT: the kernel spreads
/// new connections over the replicas' listening sockets, and each replica sees its client's own address (a TCP proxy in
/// front would make every client look like the proxy). A replica that stops or dies closes its socket and the kernel
/// sends new connections to the others at once. Linux lets only processes of the same user share a port this way.
/// The front door's address (<see cref="GatewayOptions.FrontDoorUrl"/>, given by the AppHost) is listened on besides
/// the replica's own address (the one the orchestrator gives it, for its health checks and dashboard).
/// </summary>
public static class SharedPort
{
    // From <asm-generic/socket.h>; .NET names SO_REUSEADDR but not SO_REUSEPORT.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    public static IServiceCollection AddSharedListenPort(this IServiceCollection services, string? frontDoorUrl)
    {
        if (OperatingSystem.IsLinux())
        {
            services.Configure<SocketTransportOptions>(options => options.CreateBoundListenSocket = Bind);
        }

        if (!string.IsNullOrEmpty(frontDoorUrl))
        {
            services.AddTransient<IStartupFilter>(_ => new AlsoListenOn(frontDoorUrl));
        }

        return services;
    }

    /// <summary>Runs after the host has taken the configured URLs and before the server binds them.</summary>
    private sealed class AlsoListenOn(string url) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.ServerFeatures.Get<IServerAddressesFeature>()?.Addresses.Add(url);
            next(app);
        };
    }

    private static Socket Bind(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint ip)
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }

        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
