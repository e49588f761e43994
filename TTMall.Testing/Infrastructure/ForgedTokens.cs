using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TTMall.Hosting;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Testing.Infrastructure;

/// <summary>
/// Access tokens that no service may accept: what someone can make with nothing, with another key, or with what
/// every service but users holds (the public keys, <see cref="TestTokens.PublicKeys"/>). Each carries valid claims
/// for the user given (issuer, audience, 10 minutes to live), so only the signature or its header is wrong.
/// </summary>
public static class ForgedTokens
{
    public static IReadOnlyCollection<string> Kinds => Makers.Keys;

    /// <summary><see cref="Kinds"/> for a theory's MemberData.</summary>
    public static TheoryData<string> EveryKind() => [.. Makers.Keys];

    public static string Make(string kind, MallUser user) => Makers[kind](user);

    private static readonly Dictionary<string, Func<MallUser, string>> Makers = new()
    {
        ["ES256, another key"] = u => Es256(u, AccessTokenKeys.NewSigningKey("other"), kid: "other"),
        ["ES256, another key claiming the real kid"] = u => Es256(u, AccessTokenKeys.NewSigningKey(TestTokens.KeyId), kid: TestTokens.KeyId),
        ["ES256, the real key but no kid"] = u => Es256(u, TestTokens.SigningKey, kid: null),
        ["ES256, the real key, another issuer"] = u => Es256(u, TestTokens.SigningKey, TestTokens.KeyId, issuer: "someone-else"),
        ["alg none"] = u => $"{Header("none", TestTokens.KeyId)}.{Payload(u)}.",
        ["HS256, a random secret"] = u => Hs256(u, RandomNumberGenerator.GetBytes(32)),
        ["HS256 keyed with the JWK set's bytes"] = u => Hs256(u, Encoding.UTF8.GetBytes(TestTokens.PublicKeys)),
        ["HS256 keyed with the public point (x‖y)"] = u => Hs256(u, [.. PublicPoint().X!, .. PublicPoint().Y!]),
        ["HS256 keyed with the public key's SubjectPublicKeyInfo"] = u => Hs256(u, PublicKey().ExportSubjectPublicKeyInfo()),
        ["HS256 keyed with the public key's PEM"] = u => Hs256(u, Encoding.ASCII.GetBytes(PublicKey().ExportSubjectPublicKeyInfoPem())),
    };

    private static string Es256(MallUser user, string jwk, string? kid, string issuer = "ttmall-users")
    {
        using var key = Key(jwk);
        var signed = $"{Header("ES256", kid)}.{Payload(user, issuer)}";
        return $"{signed}.{Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256))}";
    }

    private static string Hs256(MallUser user, byte[] secret)
    {
        var signed = $"{Header("HS256", TestTokens.KeyId)}.{Payload(user)}";
        return $"{signed}.{Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signed)))}";
    }

    private static string Header(string alg, string? kid)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()));
    }

    private static string Payload(MallUser user, string issuer = "ttmall-users")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = "ttmall",
            ["sub"] = user.Id.ToString(),
            ["email"] = user.Email,
            [AccessTokens.NameClaim] = user.DisplayName,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 600,
        }.ToJsonString()));
    }

    private static ECDsa PublicKey()
    {
        var jwk = JsonNode.Parse(TestTokens.PublicKeys)!["keys"]![0]!;
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars((string)jwk["x"]!), Y = Base64Url.DecodeFromChars((string)jwk["y"]!) },
        });
    }

    private static ECPoint PublicPoint() => PublicKey().ExportParameters(false).Q;

    private static ECDsa Key(string jwk)
    {
        var key = JsonNode.Parse(jwk)!;
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars((string)key["x"]!), Y = Base64Url.DecodeFromChars((string)key["y"]!) },
            D = Base64Url.DecodeFromChars((string)key["d"]!),
        });
    }
}
