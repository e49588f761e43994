using System.Globalization;

namespace TTMall.Bench;

/// <summary>
/// A benchmark's command line, read option by option: the values an option takes, and the same message from every
/// tool when one is missing, out of range or unknown.
/// </summary>
public sealed class BenchArguments
{
    private readonly IReadOnlyList<string> _args;
    private readonly string _usage;
    private int _index = -1;
    private int _option = -1;

    private BenchArguments(IReadOnlyList<string> args, string usage)
    {
        _args = args;
        _usage = usage;
    }

    /// <summary>The option being read, e.g. <c>--seconds</c>.</summary>
    public string Option => _args[_option];

    /// <summary>
    /// Applies each option to the settings, from <paramref name="defaults"/> on; <paramref name="apply"/> switches on
    /// <see cref="Option"/> and ends with <c>_ =&gt; throw arguments.Unknown()</c>.
    /// </summary>
    /// <returns>null when help was asked for (-h or --help).</returns>
    /// <exception cref="BenchException">An option is unknown or its value is missing or out of range.</exception>
    public static TSettings? Parse<TSettings>(IReadOnlyList<string> args, string usage, TSettings defaults, Func<TSettings, BenchArguments, TSettings> apply)
        where TSettings : class
    {
        var arguments = new BenchArguments(args, usage);
        var settings = defaults;
        while (++arguments._index < args.Count)
        {
            arguments._option = arguments._index;
            if (arguments.Option is "-h" or "--help")
            {
                return null;
            }

            settings = apply(settings, arguments);
        }

        return settings;
    }

    /// <summary>The option's value: the next argument.</summary>
    public string Value() =>
        _index + 1 < _args.Count ? _args[++_index] : throw new BenchException($"{Option} needs a value.\n\n{_usage}");

    public int Int(int min, int max) =>
        int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new BenchException($"{Option} takes a whole number from {min} to {max}.");

    public double Seconds(double min, double max) =>
        double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= min && s <= max
            ? s
            : throw new BenchException($"{Option} takes seconds from {min} to {max}.");

    /// <summary>NAME=VALUE added to <paramref name="environment"/> (a new dictionary).</summary>
    public IReadOnlyDictionary<string, string> Environment(IReadOnlyDictionary<string, string> environment) =>
        Value().Split('=', 2) is [{ Length: > 0 } name, var value]
            ? new Dictionary<string, string>(environment) { [name] = value }
            : throw new BenchException($"{Option} takes NAME=VALUE.");

    public BenchException Unknown() => new($"Unknown option {Option}.\n\n{_usage}");
}
