using System.Runtime.InteropServices;

namespace TTMall.Bench;

/// <summary>What a benchmark prints, and the exit code it ends with, when it cannot go on or is interrupted.</summary>
/// <param name="CouldNotRun">Printed before the <see cref="BenchException"/>'s message.</param>
/// <param name="Interrupted">Printed on Ctrl+C or SIGTERM, once everything it started is stopped.</param>
public sealed record StopMessages(string CouldNotRun, string Interrupted, int InterruptedExitCode)
{
    /// <summary>"The benchmark could not run: …" (exit 2), "Stopped." (exit 2).</summary>
    public static StopMessages Short { get; } = new("The benchmark could not run: ", "Stopped.", 2);

    /// <summary>"Benchmark stopped: …" (exit 2), "Interrupted; the processes it started are stopped." (exit 130), each after an empty line.</summary>
    public static StopMessages Long { get; } = new("\nBenchmark stopped: ", "\nInterrupted; the processes it started are stopped.", 130);
}

/// <summary>
/// Runs a benchmark from its command line: the options (usage on --help, exit 0; a bad option, exit 2), a temporary
/// folder removed afterwards, Ctrl+C and SIGTERM cancelling the run (so the finally blocks stop every server and
/// wrk), and the exit code: 0 when every target is met, 1 when one is missed, 2 when the benchmark could not run.
/// </summary>
public static class BenchRunner
{
    /// <param name="parse">The options; null when help was asked for; a <see cref="BenchException"/> when one is bad.</param>
    /// <param name="tempPrefix">The temporary folder's name begins so, e.g. <c>ttmall-bench-products-</c>.</param>
    /// <param name="run">The benchmark; its summary says whether every target was met.</param>
    /// <param name="stopMessages">What to print when it cannot go on or is interrupted; <see cref="StopMessages.Short"/> by default.</param>
    public static async Task<int> RunAsync<TSettings>(
        IReadOnlyList<string> args,
        Func<IReadOnlyList<string>, TSettings?> parse,
        string usage,
        string tempPrefix,
        Func<TSettings, DirectoryInfo, CancellationToken, Task<Summary>> run,
        StopMessages? stopMessages = null)
        where TSettings : class
    {
        var messages = stopMessages ?? StopMessages.Short;
        TSettings? settings;
        try
        {
            settings = parse(args);
        }
        catch (BenchException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        if (settings is null)
        {
            Console.WriteLine(usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        // Ctrl+C or a kill: stop, and let the finally blocks stop the servers, wrk and anything else started.
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var temp = Directory.CreateTempSubdirectory(tempPrefix);
        try
        {
            var summary = await run(settings, temp, stop.Token);
            return summary.AllPass ? 0 : 1;
        }
        catch (BenchException e)
        {
            await Console.Error.WriteLineAsync($"{messages.CouldNotRun}{e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync(messages.Interrupted);
            return messages.InterruptedExitCode;
        }
        finally
        {
            temp.Delete(recursive: true);
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
