using System.Net;
using System.Net.Sockets;

namespace TTMall.Hosting.Tests;

public class TcpPortsTests
{
    [Fact]
    public void A_taken_port_is_refused_naming_the_port_the_holder_and_the_setting()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var error = Assert.Throws<MallSetupException>(() => TcpPorts.EnsureFree(port, "Postgres", "TTMall:Ports:Postgres"));

        Assert.Contains($"port {port} (Postgres)", error.Message);
        Assert.Contains($"pid {Environment.ProcessId} ", error.Message);
        Assert.Contains("TTMall:Ports:Postgres", error.Message);
    }

    [Fact]
    public void A_free_port_passes()
    {
        var port = TcpPorts.PickFree();
        TcpPorts.EnsureFree(port, "Redis", "TTMall:Ports:Redis");
        Assert.True(TcpPorts.IsFree(port));
    }

    [Fact]
    public void Only_listening_sockets_on_the_port_are_found()
    {
        string[] procNetTcp =
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0000000000000000 100 0 0 10 0",
            "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0000000000000000 20 4 30 10 -1",
            "   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0000000000000000 100 0 0 10 0",
        ];

        Assert.Equal(["111"], TcpPorts.ListeningSocketInodes(8080, procNetTcp));
        Assert.Equal(["333"], TcpPorts.ListeningSocketInodes(80, procNetTcp));
        Assert.Empty(TcpPorts.ListeningSocketInodes(443, procNetTcp));
    }

    [Fact]
    public void Picked_ports_are_distinct_within_a_run_and_configured_ones_are_checked()
    {
        var ports = new PortAllocator();
        var picked = Enumerable.Range(0, 20).Select(_ => ports.Resolve(0, "x", "TTMall:Ports:X")).ToList();
        Assert.Equal(picked.Count, picked.Distinct().Count());

        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        Assert.Throws<MallSetupException>(() => ports.Resolve(taken, "RabbitMQ", "TTMall:Ports:RabbitMq"));
    }
}
