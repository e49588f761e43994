using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace TTMall.ServiceDefaults.Security;

/// <summary>
/// The keys of access tokens as configuration holds them: JSON Web Keys (RFC 7517), EC P-256 only, each with
/// a <c>kid</c>. The users service holds one private key (<c>d</c> present) and signs with it; every other
/// service holds only public keys, a JWK set <c>{"keys":[…]}</c>. The AppHost makes them
/// (<c>TTMall.Hosting.AccessTokenKeys</c>); this reads them, refusing anything else.
/// </summary>
public static class TokenKeys
{
    /// <summary>The private key a JWK holds, with its <c>kid</c>.</summary>
    public static ECDsaSecurityKey ReadSigningKey(string jwk, string setting)
    {
        var node = Parse(jwk, setting) as JsonObject ?? throw Invalid(setting, "it is not a JSON object");
        return Read(node, setting, requirePrivate: true);
    }

    /// <summary>The public keys of a JWK set; private members, if someone put them there, are ignored.</summary>
    public static IReadOnlyList<ECDsaSecurityKey> ReadPublicKeys(string jwks, string setting)
    {
        if (Parse(jwks, setting) is not JsonObject { } set || set["keys"] is not JsonArray keys)
        {
            throw Invalid(setting, "it is not a JWK set ({\"keys\":[…]})");
        }

        var read = keys.Select(k => Read(k as JsonObject ?? throw Invalid(setting, "a key is not a JSON object"), setting, requirePrivate: false)).ToList();
        return read.GroupBy(k => k.KeyId).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? throw Invalid(setting, $"the kid '{twice.Key}' is used by more than one key")
            : read;
    }

    private static ECDsaSecurityKey Read(JsonObject jwk, string setting, bool requirePrivate)
    {
        if (Member(jwk, "kty") != "EC" || Member(jwk, "crv") != "P-256")
        {
            throw Invalid(setting, "only EC P-256 keys (ES256) are accepted");
        }

        var kid = Member(jwk, "kid") is { Length: > 0 and <= 100 } id ? id : throw Invalid(setting, "a key has no kid");
        var d = requirePrivate ? Coordinate(jwk, "d", setting) : null;
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Coordinate(jwk, "x", setting), Y = Coordinate(jwk, "y", setting) },
            D = d,
        };
        try
        {
            // Importing checks that the point is on the curve (and matches d): a made-up key is refused here.
            return new ECDsaSecurityKey(ECDsa.Create(parameters)) { KeyId = kid };
        }
        catch (CryptographicException e)
        {
            throw Invalid(setting, $"key '{kid}' is not a valid P-256 key ({e.Message})");
        }
    }

    private static string? Member(JsonObject jwk, string name) =>
        jwk[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static byte[] Coordinate(JsonObject jwk, string name, string setting)
    {
        var text = Member(jwk, name) ?? throw Invalid(setting, $"a key has no '{name}'");
        try
        {
            var bytes = Base64Url.DecodeFromChars(text);
            return bytes.Length == 32 ? bytes : throw Invalid(setting, $"'{name}' of key '{Member(jwk, "kid")}' is not 32 bytes");
        }
        catch (FormatException)
        {
            throw Invalid(setting, $"'{name}' of key '{Member(jwk, "kid")}' is not base64url");
        }
    }

    private static JsonNode? Parse(string json, string setting)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            throw Invalid(setting, "it is not JSON");
        }
    }

    private static InvalidOperationException Invalid(string setting, string why) => new($"{setting} is not usable: {why}.");
}
