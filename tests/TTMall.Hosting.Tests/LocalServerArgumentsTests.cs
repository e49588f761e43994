using TTMall.Hosting.Local;

namespace TTMall.Hosting.Tests;

public class LocalPostgresTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ttmall-pg-").FullName;

    private PostgresLayout Layout => new("/usr/lib/postgresql/15/bin", _root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Layout_reads_the_major_version_from_the_debian_binary_path()
    {
        Assert.Equal("15", Layout.MajorVersion);
        Assert.Equal("/usr/lib/postgresql/15/bin/postgres", Layout.Server);
        Assert.Equal(Path.Combine(_root, "data"), Layout.DataDirectory);
    }

    [Fact]
    public void Server_listens_on_loopback_at_the_given_port_with_its_socket_in_the_data_root()
    {
        var arguments = LocalPostgres.ServerArguments(Layout, 45432);

        Assert.Equal(["-D", Layout.DataDirectory], arguments.Take(2));
        AssertPair(arguments, "-p", "45432");
        AssertPair(arguments, "-k", Layout.SocketDirectory);
        AssertPair(arguments, "-c", "listen_addresses=127.0.0.1");
    }

    [Fact]
    public void Initdb_sets_the_superuser_password_from_a_file_and_requires_it_over_tcp()
    {
        var arguments = LocalPostgres.InitDbArguments(Layout, "/secret/pw");

        AssertPair(arguments, "-D", Layout.DataDirectory);
        AssertPair(arguments, "-U", LocalPostgres.SuperUser);
        AssertPair(arguments, "--pwfile", "/secret/pw");
        Assert.Contains("--auth-host=scram-sha-256", arguments);
        Assert.Contains("--encoding=UTF8", arguments);
    }

    [Fact]
    public void A_missing_or_empty_data_folder_needs_initdb()
    {
        Assert.True(LocalPostgres.NeedsInit(Layout));
        Directory.CreateDirectory(Layout.DataDirectory);
        Assert.True(LocalPostgres.NeedsInit(Layout));
    }

    [Fact]
    public void A_cluster_of_the_same_major_version_is_used_as_it_is()
    {
        Directory.CreateDirectory(Layout.DataDirectory);
        File.WriteAllText(Path.Combine(Layout.DataDirectory, "PG_VERSION"), "15\n");
        Assert.False(LocalPostgres.NeedsInit(Layout));
    }

    [Fact]
    public void A_folder_with_files_but_no_cluster_is_refused_with_the_reset_command()
    {
        Directory.CreateDirectory(Layout.DataDirectory);
        File.WriteAllText(Path.Combine(Layout.DataDirectory, "stray.txt"), "?");

        var error = Assert.Throws<MallSetupException>(() => LocalPostgres.NeedsInit(Layout));
        Assert.Contains("no PG_VERSION", error.Message);
        Assert.Contains("./mall reset", error.Message);
    }

    [Fact]
    public void A_cluster_of_another_major_version_is_refused_naming_both()
    {
        Directory.CreateDirectory(Layout.DataDirectory);
        File.WriteAllText(Path.Combine(Layout.DataDirectory, "PG_VERSION"), "13\n");

        var error = Assert.Throws<MallSetupException>(() => LocalPostgres.NeedsInit(Layout));
        Assert.Contains("Postgres 13", error.Message);
        Assert.Contains("Postgres 15", error.Message);
        Assert.Contains("./mall reset", error.Message);
    }

    [Fact]
    public void The_newest_installed_major_version_is_chosen()
    {
        foreach (var version in new[] { "9", "13", "15" })
        {
            var bin = Directory.CreateDirectory(Path.Combine(_root, "lib", version, "bin")).FullName;
            File.WriteAllText(Path.Combine(bin, "postgres"), "");
            File.WriteAllText(Path.Combine(bin, "initdb"), "");
        }

        Directory.CreateDirectory(Path.Combine(_root, "lib", "16", "bin")); // no binaries: a leftover folder

        Assert.Equal(Path.Combine(_root, "lib", "15", "bin"), LocalPostgres.FindBinDirectory(Path.Combine(_root, "lib")));
        Assert.Null(LocalPostgres.FindBinDirectory(Path.Combine(_root, "nowhere")));
    }

    internal static void AssertPair(IReadOnlyList<string> arguments, string option, string value)
    {
        var pairs = arguments.Zip(arguments.Skip(1));
        Assert.Contains((option, value), pairs);
    }
}

public class LocalRedisTests
{
    [Fact]
    public void Config_binds_loopback_persists_to_the_data_root_and_requires_the_password()
    {
        var lines = LocalRedis.ConfigFile("/data/redis", 46379, "s3cret").Split('\n');

        Assert.Contains("port 46379", lines);
        Assert.Contains("bind 127.0.0.1", lines);
        Assert.Contains("dir \"/data/redis\"", lines);
        Assert.Contains("appendonly yes", lines);
        Assert.Contains("daemonize no", lines);
        Assert.Contains("requirepass \"s3cret\"", lines);
    }
}

public class LocalRabbitMqTests
{
    private static readonly RabbitMqLayout Layout = new("/data/rabbitmq");
    private static readonly RabbitMqPorts Ports = new(Amqp: 45672, Distribution: 45673, Epmd: 45674);

    [Fact]
    public void Node_has_its_own_name_ports_and_directories()
    {
        var environment = LocalRabbitMq.Environment(Layout, Ports);

        Assert.Equal("ttmall@localhost", environment["RABBITMQ_NODENAME"]);
        Assert.Equal("45672", environment["RABBITMQ_NODE_PORT"]);
        Assert.Equal("45673", environment["RABBITMQ_DIST_PORT"]);
        Assert.Equal("45674", environment["ERL_EPMD_PORT"]);
        Assert.Equal("127.0.0.1", environment["RABBITMQ_NODE_IP_ADDRESS"]);
        Assert.Equal("/data/rabbitmq/home", environment["HOME"]);
        Assert.Equal("/data/rabbitmq/mnesia", environment["RABBITMQ_MNESIA_BASE"]);
        Assert.Equal("/data/rabbitmq/feature_flags", environment["RABBITMQ_FEATURE_FLAGS_FILE"]);
        Assert.Equal("/data/rabbitmq/enabled_plugins", environment["RABBITMQ_ENABLED_PLUGINS_FILE"]);
        Assert.Equal("/data/rabbitmq/rabbitmq.conf", environment["RABBITMQ_CONFIG_FILE"]);
        Assert.Equal("/data/rabbitmq/rabbitmq-env.conf", environment["RABBITMQ_CONF_ENV_FILE"]);
        Assert.All(environment.Values.Where(v => v.StartsWith('/')), path => Assert.StartsWith("/data/rabbitmq/", path));
    }

    [Fact]
    public void Logs_go_to_the_console_and_no_daemon_epmd_is_started()
    {
        var environment = LocalRabbitMq.Environment(Layout, Ports);

        Assert.Equal("-", environment["RABBITMQ_LOGS"]);
        Assert.Contains("-start_epmd false", environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"]);
    }

    [Fact]
    public void Config_creates_the_mall_user_and_logs_to_the_console()
    {
        var lines = LocalRabbitMq.ConfigFile("s3cret").Split('\n');

        Assert.Contains($"default_user = {LocalRabbitMq.UserName}", lines);
        Assert.Contains("default_pass = s3cret", lines);
        Assert.Contains("log.console = true", lines);
        Assert.Contains("log.file = false", lines);
    }

    [Fact]
    public void The_management_UI_listens_on_loopback_at_its_port_only_when_asked_for()
    {
        var with = LocalRabbitMq.ConfigFile("s3cret", 45672).Split('\n');
        var without = LocalRabbitMq.ConfigFile("s3cret").Split('\n');

        Assert.Contains("management.tcp.ip = 127.0.0.1", with);
        Assert.Contains("management.tcp.port = 45672", with);
        Assert.DoesNotContain(without, line => line.StartsWith("management.", StringComparison.Ordinal));
        Assert.Equal("[rabbitmq_management].\n", LocalRabbitMq.EnabledPlugins(management: true));
        Assert.Equal("[].\n", LocalRabbitMq.EnabledPlugins(management: false));
    }

    [Fact]
    public void Epmd_runs_in_the_foreground_on_loopback_at_its_port()
    {
        var arguments = LocalRabbitMq.EpmdArguments(45674);

        LocalPostgresTests.AssertPair(arguments, "-port", "45674");
        LocalPostgresTests.AssertPair(arguments, "-address", "127.0.0.1");
        Assert.DoesNotContain("-daemon", arguments);
    }
}

public class ServiceAccountTests
{
    [Fact]
    public void As_root_a_server_runs_as_its_package_user_through_setpriv()
    {
        var (command, arguments) = ServiceAccount.For("postgres", isRoot: true).Wrap("/usr/lib/postgresql/15/bin/postgres", ["-D", "/d"]);

        Assert.Equal("setpriv", command);
        Assert.Equal(["--reuid=postgres", "--regid=postgres", "--init-groups", "--", "/usr/lib/postgresql/15/bin/postgres", "-D", "/d"], arguments);
    }

    [Fact]
    public void As_another_user_a_server_runs_as_that_user_unchanged()
    {
        var account = ServiceAccount.For("postgres", isRoot: false);
        var (command, arguments) = account.Wrap("/usr/bin/redis-server", ["/d/redis.conf"]);

        Assert.False(account.SwitchesUser);
        Assert.Equal("/usr/bin/redis-server", command);
        Assert.Equal(["/d/redis.conf"], arguments);
    }
}
