namespace TTMall.Hosting;

/// <summary>
/// A problem with the machine or the settings that the person starting the mall can fix.
/// Its message says what is wrong and what to do; it is printed without a stack trace.
/// </summary>
public sealed class MallSetupException(string message) : Exception(message)
{
    private static int s_handlerInstalled;

    /// <summary>Prints an unhandled <see cref="MallSetupException"/> as plain words and exits with code 2.</summary>
    internal static void PrintInsteadOfCrashing()
    {
        if (Interlocked.Exchange(ref s_handlerInstalled, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (Find(e.ExceptionObject as Exception) is { } setup)
            {
                Console.Error.WriteLine();
                Console.Error.WriteLine($"TT Mall cannot start: {setup.Message}");
                Console.Error.Flush();
                Environment.Exit(2);
            }
        };
    }

    /// <summary>The setup problem behind an exception, also when the app host's Run() wrapped it.</summary>
    internal static MallSetupException? Find(Exception? exception) => exception switch
    {
        MallSetupException setup => setup,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find).FirstOrDefault(found => found is not null),
        null => null,
        _ => Find(exception.InnerException),
    };
}
