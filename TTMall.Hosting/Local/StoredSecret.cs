using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

namespace TTMall.Hosting.Local;

/// <summary>
/// The default value of a password parameter for a local server: generated once and kept in the data root, so a
/// server initialised with it (Postgres' superuser, RabbitMQ's first user) keeps accepting it in later runs and
/// forgets it only when the data is reset. Setting the parameter in configuration still wins.
/// </summary>
public sealed class StoredSecret(string path) : ParameterDefault
{
    private readonly Lazy<string> _value = new(() => ReadOrCreate(path));

    public override string GetDefaultValue() => _value.Value;

    public override void WriteToManifest(ManifestPublishingContext context) =>
        new GenerateParameterDefault { Special = false }.WriteToManifest(context);

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path) && PrivatePaths.ReadSecretFile(path).Trim() is { Length: > 0 } stored)
        {
            return stored;
        }

        // Letters and digits only: the value goes into connection strings and URIs unescaped.
        var value = new GenerateParameterDefault { MinLength = 24, Special = false }.GetDefaultValue();
        PrivatePaths.WriteSecretFileAsync(path, value).GetAwaiter().GetResult();
        return value;
    }
}
