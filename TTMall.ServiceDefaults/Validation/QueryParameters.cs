using System.Globalization;

namespace TTMall.ServiceDefaults.Validation;

/// <summary>
/// Query parameters arrive as text and are parsed here, so "page=abc" gets a message naming the field instead of
/// the framework's bare 400.
/// </summary>
public static class QueryParameters
{
    /// <returns><paramref name="fallback"/> when the parameter is absent; null (and an error) when it is not a whole number in range.</returns>
    public static int? Int(this FieldErrors errors, string field, string? text, int min, int max, int? fallback = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        // .NET's number parsing ignores trailing NULs ("1\0" is 1): the characters are checked first, as any text is.
        if (!errors.Characters(field, text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(field, $"{field} must be a whole number from {min} to {max}.");
        return null;
    }

    /// <summary>An amount of yuan such as 499 or 1899.50: at most two decimals, within what a price column holds.</summary>
    public static decimal? Money(this FieldErrors errors, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!errors.Characters(field, text))
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && value <= MaxMoney && decimal.Round(value, 2) == value)
        {
            return value;
        }

        errors.Add(field, $"{field} must be an amount of yuan from 0 to {MaxMoney.ToString(CultureInfo.InvariantCulture)} with at most two decimals.");
        return null;
    }

    /// <summary>The largest numeric(12,2).</summary>
    public const decimal MaxMoney = 9_999_999_999.99m;
}
