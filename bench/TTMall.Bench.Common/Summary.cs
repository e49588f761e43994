using System.Globalization;
using System.Text;

namespace TTMall.Bench;

/// <summary>One line of the summary: a figure, and its target when it has one.</summary>
public sealed record Figure(string Name, string Value, string Target = "", bool? Pass = null)
{
    public string Result => Pass switch { true => "PASS", false => "FAIL", null => "" };
}

/// <summary>The table printed at the end, figures beside their targets.</summary>
public sealed class Summary
{
    private readonly List<(string Section, Figure Figure)> _figures = [];

    public IReadOnlyList<Figure> Figures => [.. _figures.Select(f => f.Figure)];

    public bool AllPass => _figures.All(f => f.Figure.Pass != false);

    public void Add(string section, Figure figure) => _figures.Add((section, figure));

    /// <summary>
    /// Prints the table, whether every target was met and, when other processes used more than
    /// <see cref="CpuUse.DisturbedAbove"/> cores during a run (<paramref name="busiestOther"/>, the most in one run),
    /// that <paramref name="disturbed"/> (e.g. "the latencies") reflect that.
    /// </summary>
    public void Print(double busiestOther, string disturbed)
    {
        Console.WriteLine();
        Console.WriteLine(Render());
        Console.WriteLine(AllPass ? "All targets met." : "A target was missed.");
        if (busiestOther > CpuUse.DisturbedAbove)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Disturbed: other processes used up to {busiestOther:F2} of the {Environment.ProcessorCount} cores during a run; {disturbed} reflect that. Run again on a quiet machine."));
        }
    }

    public string Render()
    {
        string[] headings = ["Figure", "Value", "Target", "Result"];
        var rows = _figures.Select(f => new[] { f.Figure.Name, f.Figure.Value, f.Figure.Target, f.Figure.Result }).ToList();
        var widths = Enumerable.Range(0, 4).Select(c => rows.Select(r => r[c].Length).Append(headings[c].Length).Max()).ToArray();
        var rule = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        var text = new StringBuilder();
        text.AppendLine(rule).AppendLine(Row(headings)).AppendLine(rule.Replace('-', '='));
        string? section = null;
        foreach (var (s, f) in _figures)
        {
            if (section is not null && s != section)
            {
                text.AppendLine(rule);
            }

            section = s;
            text.AppendLine(Row([f.Name, f.Value, f.Target, f.Result]));
        }

        return text.AppendLine(rule).ToString();

        string Row(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => i == 1 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |";
    }

    /// <summary>Always in milliseconds: 0.52 ms, 12.3 ms, 4294.0 ms.</summary>
    public static string Milliseconds(TimeSpan t) =>
        t.TotalMilliseconds < 10 ? $"{t.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture)} ms"
        : $"{t.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms";

    /// <summary>In milliseconds below a second, in seconds from there: 0.52 ms, 12.3 ms, 4.29 s.</summary>
    public static string Duration(TimeSpan t) =>
        t.TotalMilliseconds < 1000 ? Milliseconds(t) : $"{t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s";

    public static string Count(double n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(long n) =>
        n >= 1 << 20 ? $"{(n / 1048576.0).ToString("F2", CultureInfo.InvariantCulture)} MiB"
        : n >= 1 << 10 ? $"{(n / 1024.0).ToString("F1", CultureInfo.InvariantCulture)} KiB"
        : $"{n.ToString(CultureInfo.InvariantCulture)} B";
}
