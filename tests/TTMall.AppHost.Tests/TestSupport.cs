using System.Diagnostics;

namespace TTMall.AppHost.Tests;

/// <summary>The process table, read from /proc.</summary>
internal static class ProcessTable
{
    public sealed record Entry(int Pid, int ParentPid, char State, string CommandLine);

    public static IReadOnlyList<Entry> Snapshot()
    {
        var entries = new List<Entry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                // Fields after the command name, which is in parentheses and may hold spaces: state ppid ...
                var stat = File.ReadAllText(System.IO.Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var commandLine = File.ReadAllText(System.IO.Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                entries.Add(new Entry(pid, int.Parse(fields[1]), fields[0][0], commandLine));
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
        }

        return entries;
    }

    /// <summary>The DCP orchestrator started for <paramref name="appHostPid"/> and everything below it, the servers and services included.</summary>
    public static IReadOnlyList<Entry> StartedBy(int appHostPid)
    {
        var table = Snapshot();
        var roots = table.Where(e => e.CommandLine.Contains($"--monitor {appHostPid} ", StringComparison.Ordinal)).Select(e => e.Pid);
        var found = new Dictionary<int, Entry>();
        var queue = new Queue<int>(roots.Concat(table.Where(e => e.ParentPid == appHostPid).Select(e => e.Pid)));
        while (queue.TryDequeue(out var pid))
        {
            if (table.FirstOrDefault(e => e.Pid == pid) is { } entry && found.TryAdd(pid, entry))
            {
                foreach (var child in table.Where(e => e.ParentPid == pid))
                {
                    queue.Enqueue(child.Pid);
                }
            }
        }

        return [.. found.Values];
    }

    /// <summary>Waits until none of <paramref name="processes"/> runs any more (zombies count as gone); returns those left.</summary>
    public static async Task<IReadOnlyList<Entry>> WaitUntilGoneAsync(IReadOnlyList<Entry> processes, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var alive = Snapshot().ToDictionary(e => e.Pid);
            var left = processes.Where(p => alive.TryGetValue(p.Pid, out var now) && now.State != 'Z' && now.CommandLine == p.CommandLine).ToList();
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await Task.Delay(250);
        }
    }
}
