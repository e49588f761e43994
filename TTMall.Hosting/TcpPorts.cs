using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TTMall.Hosting;

/// <summary>Local TCP ports: picking a free one, and saying clearly who holds a taken one.</summary>
public static class TcpPorts
{
    /// <summary>A port the OS considers free on loopback right now.</summary>
    public static int PickFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        foreach (var address in new[] { IPAddress.Any, IPAddress.Loopback })
        {
            try
            {
                using var listener = new TcpListener(address, port);
                listener.Start();
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws a <see cref="MallSetupException"/> naming the port, its use and its holder when it is taken.</summary>
    public static void EnsureFree(int port, string usedFor, string settingKey)
    {
        if (!IsFree(port))
        {
            throw new MallSetupException(
                $"port {port} ({usedFor}) is already in use by {DescribeHolder(port)}. " +
                $"Stop that process, or choose another port with {settingKey}.");
        }
    }

    /// <summary>"pid 123 (nginx: master process)" for the process listening on the port, as far as /proc tells.</summary>
    public static string DescribeHolder(int port)
    {
        try
        {
            var inodes = ListeningSocketInodes(port);
            if (inodes.Count > 0)
            {
                foreach (var procDir in Directory.EnumerateDirectories("/proc"))
                {
                    if (!int.TryParse(Path.GetFileName(procDir), out var pid) || !HoldsAny(procDir, inodes))
                    {
                        continue;
                    }

                    var commandLine = File.ReadAllText(Path.Combine(procDir, "cmdline")).Replace('\0', ' ').Trim();
                    return $"pid {pid} ({(commandLine.Length > 0 ? commandLine : "unknown command")})";
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // /proc may be partly unreadable to this user; fall through to the generic wording.
        }

        return "another process (not visible to this user)";
    }

    /// <summary>Parses /proc/net/tcp{,6} lines: "sl local rem st ... inode"; 0A is LISTEN.</summary>
    internal static HashSet<string> ListeningSocketInodes(int port, IEnumerable<string>? procNetLines = null)
    {
        procNetLines ??= new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(File.ReadLines);

        var inodes = new HashSet<string>();
        foreach (var line in procNetLines)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != "0A")
            {
                continue;
            }

            var colon = fields[1].LastIndexOf(':');
            if (colon > 0 && int.TryParse(fields[1][(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var localPort)
                && localPort == port)
            {
                inodes.Add(fields[9]);
            }
        }

        return inodes;
    }

    private static bool HoldsAny(string procDir, HashSet<string> inodes)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(procDir, "fd")))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another user's process, or one that just exited.
        }

        return false;
    }
}
