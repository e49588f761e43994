using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting.Local;

/// <summary>Redis from the Debian package <c>redis-server</c>, append-only persistence in the data root.</summary>
public static class LocalRedis
{
    public const string Package = "redis-server";

    /// <summary>The server's configuration file. The password lives here, not on the command line where ps and the dashboard show it.</summary>
    public static string ConfigFile(string directory, int port, string password) =>
        string.Join('\n',
            $"port {port.ToString(CultureInfo.InvariantCulture)}",
            "bind 127.0.0.1",
            "protected-mode yes",
            "daemonize no",
            "logfile \"\"",
            $"dir \"{directory}\"",
            "appendonly yes",
            "appendfsync everysec",
            "save \"\"",
            $"requirepass \"{password}\"",
            "");

    internal static IResourceBuilder<LocalServerResource> Add(IDistributedApplicationBuilder builder, LocalDataRoot data, MallSettings settings, PortAllocator ports)
    {
        var redisServer = Executables.FindOnPath("redis-server") ?? throw LocalServers.MissingPackage("Redis server (redis-server)", Package);
        var directory = data.ServerDirectory("redis", ServiceAccount.CurrentUser);
        var port = ports.Resolve(settings.Ports.Redis, "Redis", "TTMall:Ports:Redis");
        var configPath = Path.Combine(directory, "redis.conf");

        var password = builder.AddParameter("redis-password", new StoredSecret(Path.Combine(data.SecretsDirectory, "redis-password")), secret: true);
        var server = new LocalServerResource("redis", redisServer, directory);
        var endpoint = server.Endpoint;
        server.ConnectionStringExpression = ReferenceExpression.Create(
            $"127.0.0.1:{endpoint.Property(EndpointProperty.Port)},password={password}");

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (_, ct) =>
            await PrivatePaths.WriteSecretFileAsync(configPath, ConfigFile(directory, port, await password.Resource.GetValueAsync(ct) ?? ""), ct));

        return builder.AddResource(server)
            .WithArgs(configPath)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalServerResource.EndpointName, isProxied: false)
            .WithIconName("Memory")
            .WithLocalHealthCheck(builder, LocalHealthChecks.Redis(port, ct => password.Resource.GetValueAsync(ct)));
    }
}
