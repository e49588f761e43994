using TTMall.Hosting.Local;

namespace TTMall.Hosting.Tests;

public class StoredSecretTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ttmall-secret-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_generated_secret_is_kept_private_and_reused_by_later_runs()
    {
        var path = Path.Combine(_dir, "postgres-password");

        var first = new StoredSecret(path).GetDefaultValue();
        var second = new StoredSecret(path).GetDefaultValue();

        Assert.Equal(first, second);
        Assert.True(first.Length >= 24);
        Assert.All(first, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"'{c}' would need escaping in a connection string"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_stored_secret_is_read_back_as_it_is()
    {
        var path = Path.Combine(_dir, "redis-password");
        File.WriteAllText(path, "kept-from-last-run\n");

        Assert.Equal("kept-from-last-run", new StoredSecret(path).GetDefaultValue());
    }
}

public class LocalDataRootTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ttmall-data-").FullName;

    public LocalDataRootTests()
    {
        // Like /var/tmp: others may pass through, so the fallback folder below it is reachable.
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    public void Dispose()
    {
        Executables.Run("rm", ["-rf", _dir], TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_reachable_data_root_holds_the_server_folder_itself()
    {
        var root = new LocalDataRoot(Path.Combine(_dir, "data"), Path.Combine(_dir, "fallback"));

        var redis = root.ServerDirectory("redis", ServiceAccount.CurrentUser);

        Assert.Equal(Path.Combine(_dir, "data", "redis"), redis);
        Assert.True(Directory.Exists(redis));
    }

    [SkippableFact]
    public void A_private_checkout_puts_a_server_folder_outside_and_links_it()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "Switching to the postgres user needs root, as the AppHost has when it does this.");
        Skip.If(Executables.Run("id", ["-u", "postgres"], TimeSpan.FromSeconds(5)).ExitCode != 0, "The postgres user comes with the postgresql package.");

        var privateCheckout = Directory.CreateDirectory(Path.Combine(_dir, "private"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var root = new LocalDataRoot(Path.Combine(privateCheckout.FullName, ".data"), Path.Combine(_dir, "fallback"));
        var postgres = ServiceAccount.For("postgres", isRoot: true);

        var folder = root.ServerDirectory("postgres", postgres);

        Assert.StartsWith(Path.Combine(_dir, "fallback"), folder);
        Assert.True(postgres.CanWriteIn(folder));
        Assert.Equal(folder, new FileInfo(Path.Combine(root.Root, "postgres")).LinkTarget);
        Assert.Equal(folder, root.ServerDirectory("postgres", postgres));
    }
}

public class MallSetupExceptionTests
{
    [Fact]
    public void The_setup_problem_is_found_inside_the_app_hosts_wrapping()
    {
        var problem = new MallSetupException("port 18888 is taken");
        var wrapped = new AggregateException(new InvalidOperationException("outer", problem));

        Assert.Same(problem, MallSetupException.Find(wrapped));
        Assert.Null(MallSetupException.Find(new AggregateException(new InvalidOperationException())));
    }
}
