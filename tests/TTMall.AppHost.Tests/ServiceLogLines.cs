using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TTMall.AppHost.Tests;

/// <summary>
/// The console lines of the mall's own processes (discovery, the services, the gateway), as the AppHost forwards them,
/// each tagged with the phase of the test it was logged in, so a test can ask which of them complained and when.
/// </summary>
internal sealed class ServiceLogLines : ILoggerProvider
{
    private const string ResourceCategory = "TTMall.AppHost.Resources.";
    private static readonly string[] MallProcesses = ["discovery", "products", "users", "carts", "orders", "payments", "payment-provider", "gateway"];

    private readonly ConcurrentQueue<(string Phase, string Resource, string Text)> _lines = new();

    public string Phase { get; set; } = "start";

    public static bool IsMallProcess(string? category) =>
        category?.StartsWith(ResourceCategory, StringComparison.Ordinal) == true
        && MallProcesses.Any(p => category.AsSpan(ResourceCategory.Length).StartsWith(p, StringComparison.Ordinal));

    /// <summary>Which of the mall's processes (discovery, products, …) were heard from in <paramref name="phase"/>: proof that the lines arrive.</summary>
    public IReadOnlySet<string> HeardIn(string phase) =>
        _lines.Where(l => l.Phase == phase).Select(l => MallProcesses.First(p => l.Resource.StartsWith(p, StringComparison.Ordinal))).ToHashSet();

    /// <summary>Every line of <paramref name="phase"/>, for failure messages.</summary>
    public IReadOnlyList<string> LinesIn(string phase) => [.. _lines.Where(l => l.Phase == phase).Select(l => $"{l.Resource}: {l.Text}")];

    /// <summary>Lines of <paramref name="phase"/> that a process logged at warning level or above, or an unhandled exception.</summary>
    public IReadOnlyList<string> ComplaintsIn(string phase) =>
        [.. _lines.Where(l => l.Phase == phase)
            .GroupBy(l => l.Resource)
            .SelectMany(process => ConsoleLog.Complaints([.. process.Select(l => l.Text)]).Select(c => $"{process.Key}: {c}"))];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ServiceLogLines lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => IsMallProcess(category);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsMallProcess(category))
            {
                // The dashboard shows the processes' colours: the level of a console line comes wrapped in ANSI escapes.
                lines._lines.Enqueue((lines.Phase, category[ResourceCategory.Length..], ConsoleLog.WithoutColours(formatter(state, exception))));
            }
        }
    }
}
