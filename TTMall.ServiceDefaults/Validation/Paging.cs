
namespace TTMall.ServiceDefaults.Validation;

/// <summary>Which page of a list, counted from 1: the same rules for every list of every service.</summary>
public sealed record Paging(int Page, int PageSize)
{
    public const int MaxPageSize = 100;

    /// <summary>
    /// How deep into a list any page may reach (page × pageSize). The database reads and throws away every row before
    /// the page, so an unbounded page number is a cheap way to make it work hard; no shopper pages past this.
    /// </summary>
    public const int MaxItems = 10_000;

    public int Skip => (Page - 1) * PageSize;

    public static Paging? Parse(string? page, string? pageSize, int defaultPageSize, FieldErrors errors)
    {
        var p = errors.Int("page", page, 1, MaxItems, fallback: 1);
        var size = errors.Int("pageSize", pageSize, 1, MaxPageSize, fallback: defaultPageSize);
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
}
