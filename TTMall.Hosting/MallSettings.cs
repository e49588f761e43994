using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TTMall.Hosting;

/// <summary>The AppHost's settings (configuration section <c>TTMall</c>; environment variables <c>TTMall__…</c>).</summary>
public sealed record MallSettings(
    string? Infrastructure,
    string DataRoot,
    int Replicas,
    LocalPorts Ports,
    bool IsRoot,
    bool RabbitMqManagement = true)
{
    public const string Section = "TTMall";

    public static MallSettings Read(IConfiguration configuration, string appHostDirectory)
    {
        var section = configuration.GetSection(Section);
        var repositoryRoot = Path.GetFullPath(Path.Combine(appHostDirectory, ".."));
        var dataRoot = section["DataRoot"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, repositoryRoot)
            : Path.Combine(repositoryRoot, ".data");

        return new MallSettings(
            Infrastructure: section["Infrastructure"],
            DataRoot: dataRoot,
            Replicas: ReadInt(section, "Replicas", 2, min: 1, max: 16),
            Ports: new LocalPorts(
                Postgres: ReadPort(section, "Ports:Postgres"),
                Redis: ReadPort(section, "Ports:Redis"),
                RabbitMq: ReadPort(section, "Ports:RabbitMq"),
                RabbitMqDistribution: ReadPort(section, "Ports:RabbitMqDistribution"),
                Epmd: ReadPort(section, "Ports:Epmd"),
                Discovery1: ReadPort(section, "Ports:Discovery1", 8761),
                Discovery2: ReadPort(section, "Ports:Discovery2", 8762),
                Gateway: ReadPort(section, "Ports:Gateway", 8080),
                RabbitMqManagement: ReadPort(section, "Ports:RabbitMqManagement")),
            IsRoot: Environment.IsPrivilegedProcess,
            // The management UI, linked from the dashboard; tests turn it off, as it adds seconds to every start.
            RabbitMqManagement: !string.Equals(section["RabbitMqManagement"], "false", StringComparison.OrdinalIgnoreCase));
    }

    private static int ReadPort(IConfigurationSection section, string key, int fallback = 0) => ReadInt(section, key, fallback, min: 0, max: 65535);

    private static int ReadInt(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new MallSetupException($"{Section}:{key} is '{text}'; it must be a whole number from {min} to {max}.");
    }
}
