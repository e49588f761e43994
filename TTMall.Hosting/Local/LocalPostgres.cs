using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TTMall.Hosting.Local;

/// <summary>Postgres from the Debian package <c>postgresql</c>, run as the <c>postgres</c> user when the AppHost is root.</summary>
public static class LocalPostgres
{
    public const string Package = "postgresql";
    public const string SuperUser = "postgres";

    public static string? FindBinDirectory(string libRoot = "/usr/lib/postgresql") =>
        Directory.Exists(libRoot)
            ? Directory.EnumerateDirectories(libRoot)
                .Where(dir => File.Exists(Path.Combine(dir, "bin", "postgres")) && File.Exists(Path.Combine(dir, "bin", "initdb")))
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(dir), out var major) ? major : 0)
                .Select(dir => Path.Combine(dir, "bin"))
                .FirstOrDefault()
            : null;

    public static IReadOnlyList<string> ServerArguments(PostgresLayout layout, int port) =>
    [
        "-D", layout.DataDirectory,
        "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-k", layout.SocketDirectory,
        "-c", "listen_addresses=127.0.0.1",
        // Every replica of every service keeps a connection pool.
        "-c", "max_connections=400",
        "-c", "log_line_prefix=%m [%p] %q%u@%d ",
    ];

    public static IReadOnlyList<string> InitDbArguments(PostgresLayout layout, string passwordFile) =>
    [
        "-D", layout.DataDirectory,
        "-U", SuperUser,
        "--pwfile", passwordFile,
        "--auth-host=scram-sha-256",
        "--auth-local=peer",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
    ];

    /// <summary>True when the data folder holds no cluster yet; throws when it holds something unusable.</summary>
    public static bool NeedsInit(PostgresLayout layout)
    {
        var data = layout.DataDirectory;
        if (!Directory.Exists(data) || !Directory.EnumerateFileSystemEntries(data).Any())
        {
            return true;
        }

        var versionFile = Path.Combine(data, "PG_VERSION");
        if (!File.Exists(versionFile))
        {
            throw new MallSetupException(
                $"the Postgres data folder {data} is not empty but holds no cluster (no PG_VERSION). " +
                "Remove the local data with ./mall reset (this deletes the mall's local databases).");
        }

        var version = File.ReadAllText(versionFile).Trim();
        if (version != layout.MajorVersion)
        {
            throw new MallSetupException(
                $"the Postgres data folder {data} was made by Postgres {version}, but this machine runs Postgres {layout.MajorVersion}. " +
                "Remove the local data with ./mall reset (this deletes the mall's local databases).");
        }

        return false;
    }

    internal static (IResourceBuilder<LocalServerResource> Server, IReadOnlyDictionary<string, IResourceBuilder<IResourceWithConnectionString>> Databases) Add(
        IDistributedApplicationBuilder builder, LocalDataRoot data, MallSettings settings, PortAllocator ports, IReadOnlyList<string> databaseNames)
    {
        var bin = FindBinDirectory() ?? throw LocalServers.MissingPackage("Postgres server (/usr/lib/postgresql/*/bin/postgres)", $"{Package} postgresql-contrib");
        var account = ServiceAccount.For("postgres", settings.IsRoot);
        account.EnsureExists();
        var layout = new PostgresLayout(bin, data.ServerDirectory("postgres", account));
        var needsInit = NeedsInit(layout);
        var port = ports.Resolve(settings.Ports.Postgres, "Postgres", "TTMall:Ports:Postgres");

        var password = builder.AddParameter("postgres-password", new StoredSecret(Path.Combine(data.SecretsDirectory, "postgres-password")), secret: true);
        var (command, arguments) = account.Wrap(layout.Server, ServerArguments(layout, port));
        var server = new LocalServerResource("postgres", command, layout.Root);
        var endpoint = server.Endpoint;
        server.ConnectionStringExpression = ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={endpoint.Property(EndpointProperty.Port)};Username={SuperUser};Password={password}");

        var resource = builder.AddResource(server)
            .WithArgs([.. arguments])
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalServerResource.EndpointName, isProxied: false)
            .WithIconName("Database")
            .WithLocalHealthCheck(builder, LocalHealthChecks.Postgres(server));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (e, ct) =>
        {
            Directory.CreateDirectory(layout.SocketDirectory);
            account.Own(layout.SocketDirectory);
            if (needsInit && NeedsInit(layout))
            {
                var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
                await InitClusterAsync(layout, account, await password.Resource.GetValueAsync(ct) ?? "", logger, ct);
            }
        });

        var databases = MallDatabases.Add(builder, resource,
            ReferenceExpression.Create($"Host=127.0.0.1;Port={endpoint.Property(EndpointProperty.Port)}"),
            databaseNames,
            role => builder.AddParameter($"postgres-{role}-password", new StoredSecret(Path.Combine(data.SecretsDirectory, $"postgres-{role}-password")), secret: true));

        return (resource, databases);
    }

    private static async Task InitClusterAsync(PostgresLayout layout, ServiceAccount account, string password, ILogger logger, CancellationToken ct)
    {
        var passwordFile = Path.Combine(layout.Root, "initdb.pw");
        await PrivatePaths.WriteSecretFileAsync(passwordFile, password, ct);
        account.Own(passwordFile);
        try
        {
            logger.LogInformation("Creating a new Postgres cluster in {DataDirectory}.", layout.DataDirectory);
            var (command, arguments) = account.Wrap(layout.InitDb, InitDbArguments(layout, passwordFile));
            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = layout.Root };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            foreach (var line in ((await output) + (await error)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                logger.LogInformation("initdb: {Line}", line);
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"initdb failed with exit code {process.ExitCode} (see the lines above). Remove the local data with ./mall reset and start again.");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }
}
