using TTMall.ServiceDefaults.Validation;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace TTMall.Users;

/// <summary>What an account's fields must look like.</summary>
public static partial class UserRules
{
    public const int EmailMaxLength = 254;
    public const int DisplayNameMaxLength = 32;
    public const int PhoneMaxLength = 20;
    public const int PasswordMinLength = 8;

    /// <summary>PBKDF2 takes any length, but a bound keeps a request from being a few megabytes of password.</summary>
    public const int PasswordMaxLength = 128;

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    public static string Email(this FieldErrors errors, string field, string? value)
    {
        var email = errors.Text(field, value, EmailMaxLength);
        if (email.Length > 0 && email.Length <= EmailMaxLength && !IsEmail(email))
        {
            errors.Add(field, "email is not a valid e-mail address.");
        }

        return email;
    }

    /// <summary>
    /// MailAddress accepts display names and odd forms ("Name &lt;a@b&gt;"); a shop account wants the plain
    /// local@domain.tld that mail actually reaches.
    /// </summary>
    private static bool IsEmail(string email) =>
        PlainEmail().IsMatch(email) && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;

    public static string NewPassword(this FieldErrors errors, string field, string? value)
    {
        var password = value ?? "";
        if (password.Length == 0)
        {
            errors.Add(field, $"{field} is required.");
        }
        else if (password.Length is < PasswordMinLength or > PasswordMaxLength)
        {
            errors.Add(field, $"{field} must be {PasswordMinLength} to {PasswordMaxLength} characters.");
        }
        else if (!password.Any(char.IsLetter) || !password.Any(char.IsAsciiDigit))
        {
            errors.Add(field, $"{field} must contain at least one letter and one digit.");
        }

        return password;
    }

    public static string DisplayName(this FieldErrors errors, string field, string? value) =>
        errors.Text(field, value, DisplayNameMaxLength);

    /// <summary>A mainland mobile number (optionally +86) or a landline with its area code; "" when absent.</summary>
    public static string Phone(this FieldErrors errors, string field, string? value, bool required)
    {
        var phone = errors.Text(field, value, PhoneMaxLength, required);
        if (phone.Length is > 0 and <= PhoneMaxLength && !ChinesePhone().IsMatch(phone))
        {
            errors.Add(field, $"{field} must be a mainland mobile number (11 digits starting with 1, optionally +86) or a landline like 010-12345678.");
        }

        return phone;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")]
    private static partial Regex PlainEmail();

    [GeneratedRegex(@"^(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex ChinesePhone();
}

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
