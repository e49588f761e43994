namespace TTMall.PaymentProvider;

/// <summary>
/// A card number as sent (digits, spaces between groups allowed), checked the way a network checks it before anything
/// else: 12 to 19 digits with a valid Luhn check digit. Never logged, stored or echoed in an error: only
/// <see cref="Brand"/> and <see cref="Last4"/> leave this type.
/// </summary>
public sealed class CardNumber
{
    public const int MinDigits = 12;
    public const int MaxDigits = 19;

    private CardNumber(string digits) => Digits = digits;

    /// <summary>The number without spaces. For comparing with the test cards and keyed fingerprints only.</summary>
    public string Digits { get; }

    public string Last4 => Digits[^4..];

    public string Brand => Digits switch
    {
        ['4', ..] => "visa",
        ['3', '4' or '7', ..] => "amex",
        ['5', >= '1' and <= '5', ..] => "mastercard",
        ['2', ..] when int.Parse(Digits[..4]) is >= 2221 and <= 2720 => "mastercard",
        ['6', '2', ..] => "unionpay",
        _ => "unknown",
    };

    /// <summary>Null, with the reason, for anything that is not a plausible card number.</summary>
    public static CardNumber? Parse(string? text, out string? error)
    {
        var digits = (text ?? "").Replace(" ", "", StringComparison.Ordinal);
        error = digits switch
        {
            "" => "card.number is required.",
            _ when !digits.All(char.IsAsciiDigit) => "card.number must be digits, optionally grouped with spaces.",
            { Length: < MinDigits or > MaxDigits } => $"card.number must have {MinDigits} to {MaxDigits} digits.",
            _ when !PassesLuhn(digits) => "card.number is not a valid card number (its check digit is wrong).",
            _ => null,
        };
        return error is null ? new CardNumber(digits) : null;
    }

    /// <summary>The Luhn (mod 10) check: every second digit from the right doubled, the digit sum a multiple of 10.</summary>
    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    /// <summary>Nothing of the number, should this ever be formatted into a message.</summary>
    public override string ToString() => $"{Brand} ending {Last4}";
}
