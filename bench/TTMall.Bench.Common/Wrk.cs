using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using TTMall.Testing;

namespace TTMall.Bench;

/// <summary>One wrk run: how hard, how long, what (a Lua script, extra headers).</summary>
public sealed record WrkLoad(int Threads, int Connections, TimeSpan Duration, string? Script = null, IReadOnlyList<string>? Headers = null)
{
    public override string ToString() => $"-t{Math.Min(Threads, Connections)} -c{Connections} -d{Duration.TotalSeconds:F0}s";
}

/// <summary>What wrk --latency reported.</summary>
public sealed record WrkResult(
    long Requests, TimeSpan Elapsed, double RequestsPerSecond, TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan Max,
    long SocketErrors, long Non2xx, string Output)
{
    /// <summary>Cores wrk itself used (sampled just before it ended); NaN when it could not be sampled.</summary>
    public double WrkCores { get; init; } = double.NaN;

    public long Errors => SocketErrors + Non2xx;
}

/// <summary>
/// Drives load with wrk (the Debian package): written in C, it takes far less of the two cores from the servers
/// than a .NET load generator would, and its --latency percentiles are what people quote.
/// </summary>
public sealed partial class Wrk(string path)
{
    public static Wrk Locate()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);
        return path is not null
            ? new Wrk(path)
            : throw new BenchException("wrk is not installed; it drives the load. Install it with: sudo apt-get install wrk");
    }

    public async Task<string> VersionAsync()
    {
        await using var wrk = ChildProcess.Start(new ProcessStartInfo(path, "-v"));
        await wrk.WaitForExitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        // "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer"
        return VersionLine().Match(wrk.Output) is { Success: true } m ? m.Groups[1].Value : "wrk (version unknown)";
    }

    /// <summary>
    /// A run, with the cores each of <paramref name="meter"/>'s groups used meanwhile: both samples are taken while
    /// wrk runs (a process that has exited cannot be read), leaving out its first 250 ms and its last 500 ms.
    /// </summary>
    public async Task<(WrkResult Result, CpuUse Cpu)> RunAsync(Uri url, WrkLoad load, CpuMeter meter, CancellationToken cancellationToken)
    {
        var run = RunAsync(url, load, cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        var start = meter.Take();
        await Task.Delay(load.Duration - TimeSpan.FromMilliseconds(750), cancellationToken);
        var cpu = meter.Between(start, meter.Take());
        return (await run, cpu);
    }

    public async Task<WrkResult> RunAsync(Uri url, WrkLoad load, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(path)
        {
            ArgumentList =
            {
                $"-t{Math.Min(load.Threads, load.Connections).ToString(CultureInfo.InvariantCulture)}",
                $"-c{load.Connections.ToString(CultureInfo.InvariantCulture)}",
                $"-d{Math.Ceiling(load.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s",
                "--latency",
            },
        };
        if (load.Script is not null)
        {
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add(load.Script);
        }

        foreach (var header in load.Headers ?? [])
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add(header);
        }

        info.ArgumentList.Add(url.ToString());
        await using var wrk = ChildProcess.Start(info);
        var cores = SampleCoresAsync(wrk, load.Duration, cancellationToken);
        if (!await wrk.WaitForExitAsync(load.Duration + TimeSpan.FromSeconds(30), cancellationToken))
        {
            throw new BenchException($"wrk did not finish:\n{wrk.Output}");
        }

        return wrk.ExitCode == 0
            ? Parse(wrk.Output) with { WrkCores = await cores }
            : throw new BenchException($"wrk {string.Join(' ', info.ArgumentList)} failed (exit {wrk.ExitCode}):\n{wrk.Output}");
    }

    /// <summary>wrk's CPU time just before its end (once it has exited, its CPU time can no longer be read).</summary>
    private static async Task<double> SampleCoresAsync(ChildProcess wrk, TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Task.Delay(duration - TimeSpan.FromMilliseconds(Math.Min(250, duration.TotalMilliseconds / 10)), cancellationToken);
            return wrk.CpuTime.TotalSeconds / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            return double.NaN;
        }
    }

    /// <exception cref="BenchException">The output is not wrk's.</exception>
    public static WrkResult Parse(string output)
    {
        var summary = SummaryLine().Match(output);
        var rate = RateLine().Match(output);
        var latency = LatencyLine().Match(output);
        if (!summary.Success || !rate.Success || !latency.Success)
        {
            throw new BenchException($"Unexpected wrk output:\n{output}");
        }

        var percentiles = PercentileLine().Matches(output).ToDictionary(m => m.Groups[1].Value, m => Time(m.Groups[2].Value));
        var sockets = SocketErrorsLine().Match(output);
        var socketErrors = sockets.Success ? Enumerable.Range(1, 4).Sum(g => long.Parse(sockets.Groups[g].Value, CultureInfo.InvariantCulture)) : 0;
        var non2xx = Non2xxLine().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(
            long.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture),
            Time(summary.Groups[2].Value),
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            percentiles.GetValueOrDefault("50"),
            percentiles.GetValueOrDefault("90"),
            percentiles.GetValueOrDefault("99"),
            Time(latency.Groups[1].Value),
            socketErrors,
            non2xx,
            output);
    }

    /// <summary>Writes a Lua script into <paramref name="folder"/> and returns its path, for <see cref="WrkLoad.Script"/>.</summary>
    public static string WriteScript(DirectoryInfo folder, string name, string lua)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, lua);
        return path;
    }

    /// <summary>
    /// A Lua script that sends the given paths in turn (GET, or <paramref name="method"/> with an empty body, so
    /// Content-Length: 0 is sent, as Java and .NET clients do for a heartbeat), each wrk thread starting elsewhere in
    /// the list.
    /// </summary>
    /// <param name="pauseMilliseconds">
    /// When given, each connection waits about this long (at random from half to one and a half times, so the
    /// connections do not fire in step) after an answer before its next request: with C connections that offers
    /// about C × 1000 / pause requests per second, a steady load instead of as many as the server can take.
    /// </param>
    /// <param name="authorizations">When given, the Authorization header of each path's request, in the same order.</param>
    public static string CyclingScript(
        string purpose, IReadOnlyList<string> paths, int? pauseMilliseconds = null, string method = "GET", IReadOnlyList<string>? authorizations = null)
    {
        var table = new StringBuilder("local paths = {\n");
        foreach (var p in paths)
        {
            table.Append("  ").Append(LuaString(p)).AppendLine(",");
        }

        table.Append('}');
        if (authorizations is not null)
        {
            table.Append("\nlocal authorizations = {\n");
            foreach (var a in authorizations)
            {
                table.Append("  ").Append(LuaString(a)).AppendLine(",");
            }

            table.Append('}');
        }

        var headers = authorizations is null ? "nil" : "{ [\"Authorization\"] = authorizations[i] }";
        var format = method == "GET" && authorizations is null
            ? "wrk.format(\"GET\", p)"
            : $"wrk.format({LuaString(method)}, p, {headers}, {(method == "GET" ? "nil" : "\"\"")})";
        return RequestsScript(purpose, table.ToString(), $$"""
              for i, p in ipairs(paths) do
                requests[i] = {{format}}
              end
            """, pauseMilliseconds);
    }

    /// <summary>
    /// A Lua script that sends the requests <paramref name="fillRequests"/> puts into <c>requests</c> in init(), in
    /// turn, each wrk thread starting elsewhere in the list, so threads do not send the same request at the same
    /// moment. The requests are formatted once in init(): per-request Lua work would make wrk, not the server, the limit.
    /// </summary>
    /// <param name="purpose">What the script asks for, in its first line.</param>
    /// <param name="declarations">Lua locals the requests are made of (paths, tokens, ...).</param>
    /// <param name="fillRequests">The body of init() that fills the <c>requests</c> table.</param>
    /// <param name="pauseMilliseconds">See <see cref="CyclingScript"/>.</param>
    public static string RequestsScript(string purpose, string declarations, string fillRequests, int? pauseMilliseconds = null)
    {
        var lua = new StringBuilder();
        lua.AppendLine(CultureInfo.InvariantCulture, $"-- Written by {Assembly.GetEntryAssembly()?.GetName().Name ?? "a TT Mall benchmark"}: {purpose}.");
        lua.AppendLine(declarations);
        lua.AppendLine("""
            local requests = {}
            local index = 0
            local threads = 0

            function setup(thread)
              thread:set("offset", threads * 7919)
              threads = threads + 1
            end

            function init(args)
            """);
        lua.AppendLine(fillRequests.TrimEnd());
        lua.AppendLine("""
              index = (offset or 0) % #requests
            end

            function request()
              index = index % #requests + 1
              return requests[index]
            end
            """);
        if (pauseMilliseconds is { } pause)
        {
            lua.AppendLine(CultureInfo.InvariantCulture, $$"""

                function delay()
                  return math.random({{Math.Max(0, pause / 2)}}, {{pause + pause / 2}})
                end
                """);
        }

        return lua.ToString();
    }

    private static string LuaString(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>wrk's durations: 512.00us, 4.80ms, 1.02s, 1.50m, 2.00h.</summary>
    private static TimeSpan Time(string text)
    {
        var m = TimeValue().Match(text);
        if (!m.Success)
        {
            return TimeSpan.Zero;
        }

        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => TimeSpan.Zero,
        };
    }

    [GeneratedRegex(@"^wrk (\S+)", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^\s*(\d+) requests in ([\d.]+\w+),", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RateLine();

    // "    Latency     5.12ms    2.01ms  40.00ms   80.00%": average, deviation, max.
    [GeneratedRegex(@"^\s+Latency\s+\S+\s+\S+\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"^\s+(50|75|90|99)%\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex PercentileLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"^([\d.]+)(us|ms|s|m|h)$")]
    private static partial Regex TimeValue();
}
