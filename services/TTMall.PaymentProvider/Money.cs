using System.Globalization;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.PaymentProvider;

/// <summary>Amounts as the network takes them: yuan with at most fen (2 decimals), above zero, within the books' columns.</summary>
public static class Money
{
    public const string Currency = "CNY";

    /// <summary>The largest amount numeric(12,2) holds, well above any order.</summary>
    public const decimal MaxAmount = 9_999_999_999.99m;

    /// <returns>The amount, or null when it is absent (an error when <paramref name="required"/>) or wrong.</returns>
    public static decimal? Amount(this FieldErrors errors, string field, decimal? amount, bool required = true)
    {
        switch (amount)
        {
            case null when required:
                errors.Add(field, $"{field} is required.");
                return null;
            case null:
                return null;
            case <= 0:
                errors.Add(field, $"{field} must be more than 0.");
                return null;
            case > MaxAmount:
                errors.Add(field, $"{field} must be at most {MaxAmount.ToString(CultureInfo.InvariantCulture)}.");
                return null;
            case { } value when decimal.Round(value, 2) != value:
                errors.Add(field, $"{field} must have at most 2 decimals (fen).");
                return null;
            default:
                return amount;
        }
    }

    /// <summary>The same amount always written the same way (12.3 and 12.30 are one amount).</summary>
    public static string Canonical(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
