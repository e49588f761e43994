using System.Net;
using System.Net.Sockets;

namespace TTMall.Testing;

/// <summary>
/// Clients whose connections come from a loopback address of the test's choosing (127.0.0.2, 127.0.0.3, … are all this
/// machine), so a server sees them as different clients without anyone's word for it.
/// </summary>
public static class LocalAddressClient
{
    /// <param name="connectionPerRequest">A new connection for every request, so a listener shared by several processes
    /// spreads them.</param>
    public static HttpClient From(string localAddress, Uri? baseAddress = null, bool connectionPerRequest = false)
    {
        var local = IPAddress.Parse(localAddress);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (connectionPerRequest)
        {
            handler.PooledConnectionLifetime = TimeSpan.Zero;
        }

        return new HttpClient(handler) { BaseAddress = baseAddress };
    }
}
