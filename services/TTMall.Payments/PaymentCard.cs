using System.Globalization;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Payments;

/// <summary>A card that passed the checks a card network makes before it is asked: digits, Luhn, expiry, CVC.</summary>
public sealed record PaymentCard(string Number, string Expiry, string Cvc)
{
    public string Last4 => Number[^4..];

    /// <summary>The card, or null with the reasons added to <paramref name="errors"/> under card.number, card.expiry, card.cvc.</summary>
    public static PaymentCard? Parse(CardInput? card, DateTimeOffset now, FieldErrors errors)
    {
        if (card is null)
        {
            errors.Add("card", "card is required: {\"number\", \"expiry\", \"cvc\"}.");
            return null;
        }

        var number = (card.Number ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (number.Length is < 13 or > 19 || !number.All(char.IsAsciiDigit) || !PassesLuhn(number))
        {
            errors.Add("card.number", "card.number must be a card number: 13 to 19 digits (spaces allowed) with a valid check digit.");
        }

        var expiry = card.Expiry?.Trim() ?? "";
        if (!DateTime.TryParseExact(expiry, "MM/yy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            errors.Add("card.expiry", "card.expiry must be MM/YY.");
        }
        else if (new DateTime(month.Year, month.Month, 1).AddMonths(1) <= now.UtcDateTime)
        {
            errors.Add("card.expiry", "The card has expired.");
        }

        var cvc = card.Cvc?.Trim() ?? "";
        if (cvc.Length is < 3 or > 4 || !cvc.All(char.IsAsciiDigit))
        {
            errors.Add("card.cvc", "card.cvc must be 3 or 4 digits.");
        }

        return errors.Any ? null : new PaymentCard(number, expiry, cvc);
    }

    private static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    /// <summary>Never the number: a card that reaches a log or an exception message shows only its last digits.</summary>
    public override string ToString() => $"card ending {Last4}";
}
