using System.Text.RegularExpressions;

namespace TTMall.Testing;

/// <summary>
/// Reading what a service wrote with the console logger ("warn: Category[id]" on one line, the message on the next,
/// possibly in ANSI colours): the one place that decides which lines are complaints, for tests that check a start or a
/// stop is quiet.
/// </summary>
public static partial class ConsoleLog
{
    public static string WithoutColours(string line) => AnsiEscape().Replace(line, "");

    /// <summary>A line logged at warning level or above, or the runtime's report of an unhandled exception.</summary>
    public static bool IsComplaint(string line) => Complaint().IsMatch(WithoutColours(line));

    /// <summary>The complaints among one process's <paramref name="lines"/>, each with its message (the line after it).</summary>
    public static IReadOnlyList<string> Complaints(IReadOnlyList<string> lines)
    {
        var complaints = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (IsComplaint(lines[i]))
            {
                var message = i + 1 < lines.Count ? WithoutColours(lines[i + 1]).Trim() : "";
                complaints.Add($"{WithoutColours(lines[i]).Trim()} {message}");
            }
        }

        return complaints;
    }

    [GeneratedRegex(@"\b(warn|fail|crit): |Unhandled exception")]
    private static partial Regex Complaint();

    [GeneratedRegex(@"\x1B\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
