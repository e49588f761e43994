namespace TTMall.Hosting;

/// <summary>Hands out the local servers' ports for one run: configured ones after checking they are free, others picked free and distinct.</summary>
public sealed class PortAllocator
{
    private readonly HashSet<int> _taken = [];

    public int Resolve(int configured, string usedFor, string settingKey)
    {
        if (configured != 0)
        {
            TcpPorts.EnsureFree(configured, usedFor, settingKey);
            _taken.Add(configured);
            return configured;
        }

        int port;
        do
        {
            port = TcpPorts.PickFree();
        }
        while (!_taken.Add(port));

        return port;
    }
}
