namespace TTMall.Gateway.Tests;

/// <summary>
/// The mall's front door in front of the gateway replicas, as the orchestrator's proxy is at :8080: connections are
/// spread over the gateways in turn, and a gateway that refuses a connection is passed over for the next.
/// </summary>
public sealed class FrontDoor : IDisposable
{
    private readonly IReadOnlyList<ServiceProcess> _gateways;
    private int _next;

    public FrontDoor(IReadOnlyList<ServiceProcess> gateways)
    {
        _gateways = gateways;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };

        Client = new HttpClient(handler) { BaseAddress = new Uri("http://mall.test/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var first = Interlocked.Increment(ref _next) & int.MaxValue;
        Exception? last = null;
        for (var i = 0; i < _gateways.Count; i++)
        {
            var port = _gateways[(first + i) % _gateways.Count].Port;
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw last ?? new InvalidOperationException("no gateways");
    }
}
