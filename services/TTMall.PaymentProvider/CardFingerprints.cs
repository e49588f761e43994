using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TTMall.PaymentProvider;

/// <summary>
/// What an Idempotency-Key's fingerprint is taken of for a charge: the request with its card replaced by a keyed hash
/// (<see cref="ProviderOptions.CardFingerprintKey"/>), so the stored fingerprint tells nothing about the card.
/// </summary>
public sealed class CardFingerprints(IOptions<ProviderOptions> options)
{
    private readonly byte[] _key = options.Value.CardFingerprintKey();

    /// <summary>
    /// The charge as it is compared with a repeat. Normalised first: the number without spaces and the amount in one
    /// form, so a repeat is recognised however the caller spaced or wrote them.
    /// </summary>
    public object Of(ValidCharge charge) => new
    {
        amount = Money.Canonical(charge.Amount),
        currency = charge.Currency,
        card = Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{charge.Card.Digits}|{charge.Expiry}|{charge.Cvc}"))),
        reference = charge.Reference,
    };
}
