using System.Security.Cryptography;
using System.Text.Json;

namespace TTMall.Data.Idempotency;

/// <summary>
/// A write its sender may repeat, named by the sender's key (the <c>Idempotency-Key</c> header) within one owner's
/// keys (a shopper's, so two shoppers' keys never meet), and what it asks for, as a fingerprint: the same key sent
/// with another request is refused rather than answered with the first one's result.
/// </summary>
public sealed record IdempotentRequest(string Owner, string Key, string Fingerprint)
{
    /// <param name="operation">What is done, for example <c>"review product 7"</c>: the same key on another endpoint or resource is another request.</param>
    /// <param name="input">The request's body as the endpoint read it, serialized to compare it.</param>
    public static IdempotentRequest For<TInput>(string owner, string key, string operation, TInput input)
    {
        var fingerprint = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { operation, input }, IdempotencyKeys.Json));
        return new IdempotentRequest(owner, key, Convert.ToHexStringLower(fingerprint));
    }
}
