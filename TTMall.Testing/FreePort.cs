using System.Net;
using System.Net.Sockets;

namespace TTMall.Testing;

/// <summary>Ports for the servers a test or a benchmark starts.</summary>
public static class FreePort
{
    /// <summary>
    /// A loopback port nothing listens on now. Another process could take it before the server does; unlikely enough
    /// on loopback. Also a port to which a connection is refused (a service that just died).
    /// </summary>
    public static int OnLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
