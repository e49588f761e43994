using TTMall.ServiceDefaults.Validation;

namespace TTMall.Users;

/// <summary>The text checks <see cref="UserRules"/> and <see cref="AddressRules"/> share.</summary>
public static class TextFields
{
    /// <summary>Trimmed text within the length bounds and free of control characters; "" when absent or invalid.</summary>
    public static string Text(this FieldErrors errors, string field, string? value, int maxLength, bool required = true)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(field, $"{field} is required.");
            }
        }
        else if (text.Length > maxLength)
        {
            errors.Add(field, $"{field} must be at most {maxLength} characters.");
        }
        else if (text.Any(char.IsControl))
        {
            errors.Add(field, $"{field} must not contain control characters.");
        }

        return text;
    }
}
