using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TTMall.Bench.Products;

/// <summary>One wrk run: how hard, how long, and the Lua script that says what to ask for.</summary>
public sealed record WrkLoad(int Threads, int Connections, TimeSpan Duration, string Script)
{
    public override string ToString() => $"-t{Math.Min(Threads, Connections)} -c{Connections} -d{Duration.TotalSeconds:F0}s";
}

/// <summary>What wrk --latency reported.</summary>
public sealed record WrkResult(long Requests, double RequestsPerSecond, TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan Max, long SocketErrors, long Non2xx)
{
    public long Errors => SocketErrors + Non2xx;
}

/// <summary>
/// Drives load with wrk (the Debian package): written in C, it takes far less of the two cores from the service
/// than a .NET load generator would, and its --latency percentiles are what people quote.
/// </summary>
public sealed partial class Wrk(string path)
{
    public static Wrk Locate()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);
        return path is not null
            ? new Wrk(path)
            : throw new BenchException("wrk is not installed; it drives the load. Install it with: sudo apt-get install wrk");
    }

    public async Task<WrkResult> RunAsync(Uri baseUrl, WrkLoad load, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(path)
        {
            ArgumentList =
            {
                $"-t{Math.Min(load.Threads, load.Connections).ToString(CultureInfo.InvariantCulture)}",
                $"-c{load.Connections.ToString(CultureInfo.InvariantCulture)}",
                $"-d{Math.Ceiling(load.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s",
                "--latency",
                "-s", load.Script,
                baseUrl.ToString(),
            },
        };
        await using var wrk = ChildProcess.Start(info);
        if (!await wrk.WaitForExitAsync(load.Duration + TimeSpan.FromSeconds(30), cancellationToken))
        {
            throw new BenchException($"wrk did not finish:\n{wrk.Output}");
        }

        return wrk.ExitCode == 0
            ? Parse(wrk.Output)
            : throw new BenchException($"wrk {string.Join(' ', info.ArgumentList)} failed (exit {wrk.ExitCode}):\n{wrk.Output}");
    }

    /// <summary>
    /// A Lua script that GETs the given paths in turn, each wrk thread starting at its own place in the list. The
    /// requests are formatted once in init(): Lua work per request would make wrk, not the service, the limit.
    /// </summary>
    /// <param name="pauseMilliseconds">
    /// When given, each connection waits about this long (at random from half to one and a half times, so the
    /// connections do not fire in step) after an answer before its next request: with C connections that offers
    /// about C × 1000 / pause requests per second, a steady load instead of as many as the service can take.
    /// </param>
    public static string CyclingScript(string purpose, IReadOnlyList<string> paths, int? pauseMilliseconds = null)
    {
        var lua = new StringBuilder();
        lua.AppendLine(CultureInfo.InvariantCulture, $"-- Written by TTMall.Bench.Products: {purpose}.");
        lua.AppendLine("local paths = {");
        foreach (var p in paths)
        {
            lua.Append("  \"").Append(p.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).AppendLine("\",");
        }

        lua.AppendLine("""
            }
            local requests = {}
            local index = 0
            local started = 0

            setup = function(thread)
              thread:set("offset", started * 7919)
              started = started + 1
            end

            init = function(args)
              for i, p in ipairs(paths) do
                requests[i] = wrk.format("GET", p)
              end
              index = (offset or 0) % #requests
            end

            request = function()
              index = index % #requests + 1
              return requests[index]
            end
            """);
        if (pauseMilliseconds is { } pause)
        {
            lua.AppendLine(CultureInfo.InvariantCulture, $$"""

                delay = function()
                  return math.random({{Math.Max(0, pause / 2)}}, {{pause + pause / 2}})
                end
                """);
        }

        return lua.ToString();
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
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            percentiles.GetValueOrDefault("50"),
            percentiles.GetValueOrDefault("90"),
            percentiles.GetValueOrDefault("99"),
            Time(latency.Groups[1].Value),
            socketErrors,
            non2xx);
    }

    /// <summary>wrk's durations: 512.00us, 4.80ms, 1.02s, 1.50m.</summary>
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
