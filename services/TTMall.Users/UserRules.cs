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

    /// <summary>
    /// The unique key of an address: ASCII letters upper-cased and nothing else touched. ToUpperInvariant would fold
    /// non-ASCII letters onto ASCII ones (ſ, U+017F, becomes S), so a look-alike typed at sign-in would name someone
    /// else's account; registered addresses are ASCII only (<see cref="Email"/>), so no two of them share a key by case.
    /// </summary>
    public static string NormalizeEmail(string email) =>
        string.Create(email.Trim().Length, email.Trim(), (upper, trimmed) =>
        {
            for (var i = 0; i < trimmed.Length; i++)
            {
                upper[i] = char.IsAsciiLetterLower(trimmed[i]) ? (char)(trimmed[i] - ('a' - 'A')) : trimmed[i];
            }
        });

    public static string Email(this FieldErrors errors, string field, string? value)
    {
        var email = errors.Text(field, value, EmailMaxLength);
        if (email.Length > 0 && email.Length <= EmailMaxLength && !IsEmail(email))
        {
            errors.Add(field, $"{field} must be a plain address, local@domain.tld, in ASCII letters, digits and . _ % + ' - (no IP address as the domain).");
        }

        return email;
    }

    /// <summary>
    /// The plain local@domain.tld that mail reaches, in ASCII only: an address in other scripts can be made to look
    /// like another (Cyrillic а for Latin a, ſ for s, full-width letters), and an account is known by its address. The
    /// domain is host names with a letters-only top level, so an IP literal ([127.0.0.1] or 127.0.0.1) is not one:
    /// a shop has no business mailing a machine by number. MailAddress is the second opinion on the whole.
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
        else
        {
            errors.Characters(field, password);
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

    [GeneratedRegex(@"^[A-Za-z0-9_%+'-]+(\.[A-Za-z0-9_%+'-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex PlainEmail();

    [GeneratedRegex(@"^(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex ChinesePhone();
}
