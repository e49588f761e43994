using System.Globalization;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Orders;

/// <summary>Which page of a list, counted from 1; the same rules as the products service's lists.</summary>
public sealed record Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    /// <summary>How deep into a list any page may reach (page × pageSize): the database reads every row before the page.</summary>
    public const int MaxItems = 10_000;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>Query parameters arrive as text and are parsed here, so "page=abc" gets a message naming the field.</summary>
    public static Paging? Parse(string? page, string? pageSize, FieldErrors errors)
    {
        var p = Int(errors, "page", page, MaxItems, fallback: 1);
        var size = Int(errors, "pageSize", pageSize, MaxPageSize, fallback: DefaultPageSize);
        if (p is not { } pv || size is not { } sv)
        {
            return null;
        }

        if ((long)pv * sv > MaxItems)
        {
            errors.Add("page", $"page × pageSize must be at most {MaxItems}: with pageSize {sv}, page is at most {MaxItems / sv}.");
            return null;
        }

        return new Paging(pv, sv);
    }

    private static int? Int(FieldErrors errors, string field, string? text, int max, int fallback)
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

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }

        errors.Add(field, $"{field} must be a whole number from 1 to {max}.");
        return null;
    }
}
