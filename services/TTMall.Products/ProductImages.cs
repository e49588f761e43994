using System.Globalization;
using System.Security;
using System.Text;

namespace TTMall.Products;

/// <summary>
/// Product pictures drawn by the mall itself: an SVG with the category's symbol and the product's name on a
/// gradient whose colours follow from the category and the name. No third-party image files, nothing stored: the
/// same product always gets the same picture, so browsers and the gateway may cache it.
/// </summary>
public static class ProductImages
{
    /// <summary>Each product has this many pictures: 1 the main one, 2 and 3 other views.</summary>
    public const int Views = 3;

    /// <summary>Raise when the drawing changes, so cached pictures are fetched again.</summary>
    private const int DrawingVersion = 1;

    private const int Size = 480;

    /// <summary>Changes with anything the picture is drawn from; part of the URL and the ETag.</summary>
    public static string Version(string name, string categorySlug) =>
        StableHash.Of($"{DrawingVersion}|{categorySlug}|{name}").ToString("x8", CultureInfo.InvariantCulture);

    public static string Url(int productId, string name, string categorySlug, int view = 1) =>
        view == 1
            ? $"/api/products/{productId}/image.svg?v={Version(name, categorySlug)}"
            : $"/api/products/{productId}/images/{view}.svg?v={Version(name, categorySlug)}";

    public static IReadOnlyList<string> Urls(int productId, string name, string categorySlug) =>
        [.. Enumerable.Range(1, Views).Select(view => Url(productId, name, categorySlug, view))];

    public static string Draw(string name, string categorySlug, string categoryName, int view)
    {
        var hash = StableHash.Of(name);
        var hue = (CategoryHue(categorySlug) + (int)(hash % 41) - 20 + 360) % 360;
        var light = Hsl(hue, 0.70, 0.64);
        var dark = Hsl((hue + 28) % 360, 0.62, 0.36);
        var accent = Hsl((hue + 180) % 360, 0.55, 0.72);

        var svg = new StringBuilder(2048);
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Size}" height="{Size}" viewBox="0 0 {Size} {Size}" role="img" aria-label="{Xml(name)}">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Xml(name)}</title>");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{light}"/><stop offset="1" stop-color="{dark}"/></linearGradient></defs>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Size}" height="{Size}" fill="url(#bg)"/>""");

        // Soft circles placed by the name's hash: two products of one category still look different.
        for (var i = 0; i < 5; i++)
        {
            var h = StableHash.Of($"{name}#{view}#{i}");
            svg.Append(CultureInfo.InvariantCulture,
                $"""<circle cx="{h % Size}" cy="{h / Size % Size}" r="{30 + h / 7 % 90}" fill="{(i % 2 == 0 ? accent : "#ffffff")}" opacity="0.{12 + i * 3}"/>""");
        }

        var (transform, label) = view switch
        {
            2 => ("translate(250 190) rotate(-14) scale(1.05)", categoryName),
            3 => ("translate(240 230) scale(1.75)", categoryName),
            _ => ("translate(240 190)", ""),
        };
        svg.Append(CultureInfo.InvariantCulture,
            $"""<g transform="{transform}" fill="none" stroke="#ffffff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round">""");
        svg.Append(Glyph(categorySlug));
        svg.Append("</g>");

        if (label.Length > 0)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"""<text x="24" y="44" font-family="{Fonts}" font-size="22" fill="#ffffff" opacity="0.9">{Xml(label)}</text>""");
        }

        if (view != 3)
        {
            var lines = Wrap(name, maxWidth: 16, maxLines: 2);
            var y = lines.Count == 1 ? 400 : 384;
            foreach (var line in lines)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<text x="240" y="{y}" text-anchor="middle" font-family="{Fonts}" font-size="26" font-weight="600" fill="#ffffff">{Xml(line)}</text>""");
                y += 36;
            }
        }

        return svg.Append("</svg>").ToString();
    }

    private const string Fonts = "'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif";

    private static int CategoryHue(string slug) => slug switch
    {
        "keyboards" => 212,
        "mice" => 168,
        "monitors" => 262,
        "audio" => 18,
        "phones" => 338,
        "laptops" => 192,
        "storage" => 40,
        "smart-home" => 118,
        _ => (int)(StableHash.Of(slug) % 360),
    };

    /// <summary>Line art around (0, 0), about ±120 wide, one per category.</summary>
    private static string Glyph(string slug) => slug switch
    {
        "keyboards" => """<rect x="-120" y="-55" width="240" height="110" rx="14"/>"""
            + string.Concat(Enumerable.Range(0, 3).SelectMany(row => Enumerable.Range(0, 8).Select(col =>
                $"""<rect x="{-102 + col * 26}" y="{-38 + row * 24}" width="16" height="14" rx="3"/>""")))
            + """<rect x="-60" y="34" width="120" height="8" rx="3"/>""",
        "mice" => """<rect x="-55" y="-90" width="110" height="180" rx="55"/><line x1="0" y1="-90" x2="0" y2="-25"/><rect x="-7" y="-70" width="14" height="26" rx="7"/>""",
        "monitors" => """<rect x="-120" y="-85" width="240" height="145" rx="10"/><line x1="0" y1="60" x2="0" y2="95"/><line x1="-50" y1="98" x2="50" y2="98"/>""",
        "audio" => """<path d="M-85 30 v-30 a85 85 0 0 1 170 0 v30"/><rect x="-105" y="20" width="40" height="70" rx="14"/><rect x="65" y="20" width="40" height="70" rx="14"/>""",
        "phones" => """<rect x="-60" y="-105" width="120" height="210" rx="20"/><line x1="-18" y1="-88" x2="18" y2="-88"/><circle cx="0" cy="84" r="8"/>""",
        "laptops" => """<rect x="-95" y="-80" width="190" height="125" rx="8"/><path d="M-125 62 h250 l-16 24 h-218 z"/>""",
        "storage" => """<rect x="-80" y="-100" width="160" height="200" rx="14"/><circle cx="0" cy="-10" r="52"/><circle cx="0" cy="-10" r="10"/><line x1="30" y1="70" x2="60" y2="70"/>""",
        "smart-home" => """<path d="M-100 0 L0 -90 L100 0"/><path d="M-75 -20 v110 h150 v-110"/><path d="M-25 90 v-50 h50 v50"/><path d="M-30 -30 a42 42 0 0 1 60 0"/>""",
        _ => """<path d="M0 -100 L95 -50 L95 55 L0 105 L-95 55 L-95 -50 Z"/><path d="M-95 -50 L0 0 L95 -50 M0 0 V105"/>""",
    };

    /// <summary>Splits a name into lines of about <paramref name="maxWidth"/> Chinese characters (Latin letters count half).</summary>
    private static List<string> Wrap(string text, double maxWidth, int maxLines)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        double width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var w = rune.Value < 0x2E80 ? 0.55 : 1.0;
            if (width + w > maxWidth)
            {
                if (lines.Count == maxLines - 1)
                {
                    lines.Add(line.ToString().TrimEnd() + "…");
                    return lines;
                }

                lines.Add(line.ToString().TrimEnd());
                line.Clear();
                width = 0;
            }

            line.Append(rune.ToString());
            width += w;
        }

        lines.Add(line.ToString());
        return lines;
    }

    private static string Xml(string text) => SecurityElement.Escape(text);

    private static string Hsl(int hue, double saturation, double lightness)
    {
        var c = (1 - Math.Abs(2 * lightness - 1)) * saturation;
        var x = c * (1 - Math.Abs(hue / 60.0 % 2 - 1));
        var m = lightness - c / 2;
        var (r, g, b) = (hue / 60) switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return $"#{(int)Math.Round((r + m) * 255):x2}{(int)Math.Round((g + m) * 255):x2}{(int)Math.Round((b + m) * 255):x2}";
    }
}
