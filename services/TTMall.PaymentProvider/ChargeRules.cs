using System.Globalization;
using TTMall.PaymentProvider.Data;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.PaymentProvider;

/// <summary>
/// What a charge request must be before the network looks at the card. Every wrong field is named at once; no message
/// repeats what was sent for the card (a wrong number could still be a real one).
/// </summary>
public static class ChargeRules
{
    public static ValidCharge? Validate(ChargeInput? input, DateTimeOffset now, FieldErrors errors)
    {
        var amount = errors.Amount("amount", input?.Amount);

        var currency = input?.Currency;
        if (string.IsNullOrEmpty(currency))
        {
            errors.Add("currency", "currency is required.");
        }
        else if (currency != Money.Currency)
        {
            errors.Add("currency", $"currency must be {Money.Currency}: this network settles in yuan only.");
        }

        var reference = errors.Text("reference", input?.Reference, Charge.MaxReferenceLength);

        var card = input?.Card;
        CardNumber? number = null;
        if (card is null)
        {
            errors.Add("card", "card is required, with number, expiry and cvc.");
        }
        else
        {
            number = CardNumber.Parse(card.Number, out var numberError);
            if (numberError is not null)
            {
                errors.Add("card.number", numberError);
            }

            if (ExpiryError(card.Expiry, now) is { } expiryError)
            {
                errors.Add("card.expiry", expiryError);
            }

            if (card.Cvc is not { Length: 3 or 4 } cvc || !cvc.All(char.IsAsciiDigit))
            {
                errors.Add("card.cvc", "card.cvc must be 3 or 4 digits.");
            }
        }

        return errors.Any ? null : new ValidCharge(amount!.Value, currency!, number!, card!.Expiry!, card.Cvc!, reference);
    }

    /// <summary>A card is good through the last day of its expiry month (in UTC here: the sandbox has no card holder's zone).</summary>
    private static string? ExpiryError(string? expiry, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(expiry))
        {
            return "card.expiry is required.";
        }

        if (expiry is not [var m1, var m2, '/', var y1, var y2] || !char.IsAsciiDigit(m1) || !char.IsAsciiDigit(m2)
            || !char.IsAsciiDigit(y1) || !char.IsAsciiDigit(y2))
        {
            return "card.expiry must be MM/YY, such as 09/29.";
        }

        var month = int.Parse(expiry.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var year = 2000 + int.Parse(expiry.AsSpan(3, 2), CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
        {
            return "card.expiry's month must be 01 to 12.";
        }

        var today = now.UtcDateTime;
        return (year, month).CompareTo((today.Year, today.Month)) < 0 ? "The card has expired." : null;
    }
}
