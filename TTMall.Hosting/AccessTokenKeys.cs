using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

namespace TTMall.Hosting;

/// <summary>
/// The keys access tokens are signed with: ES256 (EC P-256) private keys as JSON Web Keys, each with a kid.
/// <paramref name="SigningKey"/> (parameter <c>access-token-key</c>, generated once and kept in the AppHost's user
/// secrets) goes to the users service only. Every other service but the gateway is given the public halves of it
/// and of <paramref name="PreviousKey"/> (<c>access-token-previous-key</c>, empty unless a rotation is under way),
/// so that tokens signed before a rotation stay valid until they expire.
/// </summary>
public sealed record AccessTokenKeys(IResourceBuilder<ParameterResource> SigningKey, IResourceBuilder<ParameterResource> PreviousKey)
{
    public static AccessTokenKeys Add(IDistributedApplicationBuilder builder) =>
        new(builder.AddParameter("access-token-key", new NewKey(), secret: true, persist: true),
            builder.AddParameter("access-token-previous-key", new NoKey(), secret: true));

    /// <summary>The JWK set of the public keys tokens are accepted with (<c>Jwt:PublicKeys</c>).</summary>
    public async Task<string> PublicKeysAsync(CancellationToken cancellationToken) =>
        PublicKeySet(await SigningKey.Resource.GetValueAsync(cancellationToken), await PreviousKey.Resource.GetValueAsync(cancellationToken));

    /// <summary>A new private key as a JWK; its kid says when it was made, which tells its age at a glance.</summary>
    public static string NewSigningKey(string? kid = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(includePrivateParameters: true);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["kid"] = kid ?? $"{DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(6))}",
            ["x"] = Base64Url.EncodeToString(p.Q.X),
            ["y"] = Base64Url.EncodeToString(p.Q.Y),
            ["d"] = Base64Url.EncodeToString(p.D),
        }.ToJsonString();
    }

    /// <summary>The JWK set of the public halves of the keys given (empty ones are skipped): each without its <c>d</c>.</summary>
    public static string PublicKeySet(params IEnumerable<string?> signingKeys) =>
        new JsonObject
        {
            ["keys"] = new JsonArray([.. signingKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => (JsonNode)PublicHalf(k!))]),
        }.ToJsonString();

    private static JsonObject PublicHalf(string signingKey)
    {
        var key = JsonNode.Parse(signingKey) as JsonObject
            ?? throw new MallSetupException("An access-token key parameter is not a JSON Web Key; remove it from the user secrets to generate a new one.");
        return new JsonObject
        {
            ["kty"] = key["kty"]?.DeepClone(),
            ["crv"] = key["crv"]?.DeepClone(),
            ["kid"] = key["kid"]?.DeepClone(),
            ["use"] = "sig",
            ["alg"] = "ES256",
            ["x"] = key["x"]?.DeepClone(),
            ["y"] = key["y"]?.DeepClone(),
        };
    }

    private sealed class NewKey : ParameterDefault
    {
        public override string GetDefaultValue() => NewSigningKey();

        public override void WriteToManifest(ManifestPublishingContext context) =>
            throw new NotSupportedException("The access-token key is generated when the mall runs; a published mall supplies its own.");
    }

    private sealed class NoKey : ParameterDefault
    {
        public override string GetDefaultValue() => "";

        public override void WriteToManifest(ManifestPublishingContext context) => context.Writer.WriteString("value", "");
    }
}
