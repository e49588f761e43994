using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace TTMall.Gateway.Tests;

/// <summary>
/// A loopback port that forwards every connection to another port, and can refuse connections for a moment (cutting
/// those open), as a replica restarted in place or a network blip would, without anything changing in discovery.
/// </summary>
public sealed class FlakyPort : IAsyncDisposable
{
    private readonly int _target;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Lock _lock = new();
    private TcpListener? _listener;

    private FlakyPort(int target)
    {
        _target = target;
        Port = FreePort.OnLoopback();
    }

    public int Port { get; }

    public static FlakyPort Start(int target)
    {
        var port = new FlakyPort(target);
        port.Listen();
        return port;
    }

    /// <summary>
    /// Refuses connections, resetting those open, for at least <paramref name="atLeast"/> and until <paramref name="seen"/>
    /// holds (a client has run into the refusal) or <paramref name="atMost"/> has passed; then accepts them again.
    /// </summary>
    public async Task RefuseAsync(TimeSpan atLeast, Func<bool> seen, TimeSpan atMost)
    {
        StopListening();
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }

        var since = DateTime.UtcNow;
        await Task.Delay(atLeast);
        while (!seen() && DateTime.UtcNow - since < atMost)
        {
            await Task.Delay(20);
        }

        Listen();
    }

    public ValueTask DisposeAsync()
    {
        StopListening();
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }

        return ValueTask.CompletedTask;
    }

    private void Listen()
    {
        lock (_lock)
        {
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Start();
            _ = AcceptAsync(_listener);
        }
    }

    private void StopListening()
    {
        lock (_lock)
        {
            _listener?.Stop();
            _listener = null;
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        _open[client] = 0;
        _open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _target);
            await using var inbound = new NetworkStream(client, ownsSocket: false);
            await using var outbound = new NetworkStream(upstream, ownsSocket: false);
            await Task.WhenAny(inbound.CopyToAsync(outbound), outbound.CopyToAsync(inbound));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(upstream, out _);
            client.Dispose();
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            // Linger 0: the close sends RST, as a dying process's sockets do.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
