using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting.Local;

/// <summary>
/// RabbitMQ from the Debian package <c>rabbitmq-server</c>, started from /usr/lib/rabbitmq/bin (not the /usr/sbin wrapper,
/// which re-launches itself through su and leaves the Erlang VM behind when stopped) as the <c>rabbitmq</c> user when the
/// AppHost is root. It has its own node name, ports, directories and epmd, so it never meets a system broker, and the
/// epmd is a resource of its own so that it stops with the AppHost instead of outliving everything as a daemon.
/// </summary>
public static class LocalRabbitMq
{
    public const string Package = "rabbitmq-server";
    public const string NodeName = "ttmall@localhost";
    public const string UserName = "ttmall";
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public static IReadOnlyDictionary<string, string> Environment(RabbitMqLayout layout, RabbitMqPorts ports) => new Dictionary<string, string>
    {
        ["HOME"] = layout.Home,
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = Text(ports.Amqp),
        ["RABBITMQ_DIST_PORT"] = Text(ports.Distribution),
        ["ERL_EPMD_PORT"] = Text(ports.Epmd),
        ["RABBITMQ_MNESIA_BASE"] = layout.MnesiaBase,
        ["RABBITMQ_LOG_BASE"] = layout.LogBase,
        ["RABBITMQ_LOGS"] = "-",
        ["RABBITMQ_CONFIG_FILE"] = layout.ConfigFile,
        ["RABBITMQ_CONF_ENV_FILE"] = layout.EnvironmentFile,
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = layout.AdvancedConfigFile,
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = layout.EnabledPluginsFile,
        ["RABBITMQ_FEATURE_FLAGS_FILE"] = layout.FeatureFlagsFile,
        // Never start a daemon epmd of its own: ours is a resource that stops with the AppHost.
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-start_epmd false",
    };

    public const string ManagementPlugin = "rabbitmq_management";

    /// <summary>
    /// The broker's configuration. Its first user is created from it when the node's database is new. With a
    /// <paramref name="managementPort"/>, the management UI listens there, on loopback only.
    /// </summary>
    public static string ConfigFile(string password, int? managementPort = null) =>
        string.Join('\n', new[]
        {
            $"default_user = {UserName}",
            $"default_pass = {password}",
            "default_vhost = /",
            "log.console = true",
            "log.console.level = info",
            "log.file = false",
        }.Concat(managementPort is { } port ? ["management.tcp.ip = 127.0.0.1", $"management.tcp.port = {Text(port)}"] : [])
            .Append(""));

    /// <summary>The plugins file: the management UI, or none.</summary>
    public static string EnabledPlugins(bool management) => management ? $"[{ManagementPlugin}].\n" : "[].\n";

    public static IReadOnlyList<string> EpmdArguments(int port) => ["-port", Text(port), "-address", "127.0.0.1"];

    internal static IResourceBuilder<LocalServerResource> Add(IDistributedApplicationBuilder builder, LocalDataRoot data, MallSettings settings, PortAllocator allocator)
    {
        if (!File.Exists(ServerScript))
        {
            throw LocalServers.MissingPackage($"RabbitMQ server ({ServerScript})", Package);
        }

        var epmdPath = Executables.FindOnPath("epmd") ?? throw LocalServers.MissingPackage("Erlang port mapper (epmd)", "erlang-base");
        var account = ServiceAccount.For("rabbitmq", settings.IsRoot);
        account.EnsureExists();
        var layout = new RabbitMqLayout(data.ServerDirectory("rabbitmq", account));
        var ports = new RabbitMqPorts(
            Amqp: allocator.Resolve(settings.Ports.RabbitMq, "RabbitMQ", "TTMall:Ports:RabbitMq"),
            Distribution: allocator.Resolve(settings.Ports.RabbitMqDistribution, "RabbitMQ Erlang distribution", "TTMall:Ports:RabbitMqDistribution"),
            Epmd: allocator.Resolve(settings.Ports.Epmd, "RabbitMQ's Erlang port mapper (epmd)", "TTMall:Ports:Epmd"));
        int? managementPort = settings.RabbitMqManagement
            ? allocator.Resolve(settings.Ports.RabbitMqManagement, "RabbitMQ's management UI", "TTMall:Ports:RabbitMqManagement")
            : null;

        var (epmdCommand, epmdArguments) = account.Wrap(epmdPath, EpmdArguments(ports.Epmd));
        var epmd = builder.AddExecutable("rabbitmq-epmd", epmdCommand, layout.Root, [.. epmdArguments])
            .WithEndpoint(port: ports.Epmd, targetPort: ports.Epmd, scheme: "tcp", name: "tcp", isProxied: false)
            .WithIconName("PlugConnected")
            .WithLocalHealthCheck(builder, LocalHealthChecks.Epmd(ports.Epmd));

        var password = builder.AddParameter("rabbitmq-password", new StoredSecret(Path.Combine(data.SecretsDirectory, "rabbitmq-password")), secret: true);
        var (command, arguments) = account.Wrap(ServerScript, []);
        var server = new LocalServerResource("rabbitmq", command, layout.Root);
        var endpoint = server.Endpoint;
        server.ConnectionStringExpression = ReferenceExpression.Create(
            $"amqp://{UserName}:{password}@127.0.0.1:{endpoint.Property(EndpointProperty.Port)}");

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (_, ct) =>
        {
            foreach (var directory in new[] { layout.Home, layout.MnesiaBase, layout.LogBase })
            {
                Directory.CreateDirectory(directory);
            }

            await PrivatePaths.WriteSecretFileAsync(layout.ConfigFile, ConfigFile(await password.Resource.GetValueAsync(ct) ?? "", managementPort), ct);
            await File.WriteAllTextAsync(layout.EnvironmentFile, "# Keeps /etc/rabbitmq/rabbitmq-env.conf out of this node.\n", ct);
            await File.WriteAllTextAsync(layout.EnabledPluginsFile, EnabledPlugins(managementPort is not null), ct);
            account.Own(layout.Root);
        });

        var resource = builder.AddResource(server)
            .WithArgs([.. arguments])
            .WithEndpoint(port: ports.Amqp, targetPort: ports.Amqp, scheme: "tcp", name: LocalServerResource.EndpointName, isProxied: false)
            .WithIconName("Mail")
            .WaitFor(epmd)
            .WithLocalHealthCheck(builder, LocalHealthChecks.RabbitMq(server));

        if (managementPort is { } management)
        {
            // Signed in to with the broker's user and the rabbitmq-password parameter shown in the dashboard.
            resource.WithHttpEndpoint(port: management, targetPort: management, name: "management", isProxied: false)
                .WithUrlForEndpoint("management", url => url.DisplayText = "management UI");
        }

        foreach (var (name, value) in Environment(layout, ports))
        {
            resource.WithEnvironment(name, value);
        }

        epmd.WithParentRelationship(resource);
        return resource;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
