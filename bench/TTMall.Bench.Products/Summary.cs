using System.Globalization;
using System.Text;

namespace TTMall.Bench.Products;

/// <summary>One line of the summary: a figure, and its target when it has one.</summary>
public sealed record Figure(string Name, string Value, string Target = "", bool? Pass = null)
{
    public string Result => Pass switch { true => "PASS", false => "FAIL", null => "" };
}

/// <summary>The table printed at the end, figures beside their targets.</summary>
public sealed class Summary
{
    private readonly List<(string Section, Figure Figure)> _figures = [];

    public bool AllPass => _figures.All(f => f.Figure.Pass != false);

    public void Add(string section, Figure figure) => _figures.Add((section, figure));

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

    public static string Milliseconds(TimeSpan t) =>
        t.TotalMilliseconds < 10 ? $"{t.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture)} ms"
        : $"{t.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms";

    public static string Count(double n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
