using TTMall.ServiceDefaults.Validation;
using System.Text.RegularExpressions;

namespace TTMall.Users;

/// <summary>What a delivery address's fields must look like.</summary>
public static partial class AddressRules
{
    public const int RecipientMaxLength = 50;
    public const int RegionMaxLength = 30;
    public const int LineMaxLength = 200;

    public static string PostalCode(this FieldErrors errors, string field, string? value)
    {
        var code = value?.Trim() ?? "";
        if (code.Length > 0 && !SixDigits().IsMatch(code))
        {
            errors.Add(field, $"{field} must be 6 digits.");
        }

        return code;
    }

    [GeneratedRegex(@"^[0-9]{6}$")]
    private static partial Regex SixDigits();
}
