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
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal("kept-from-last-run", new StoredSecret(path).GetDefaultValue());
    }

    [Fact]
    public async Task A_secret_never_lands_in_a_file_someone_else_could_already_read()
    {
        // Someone opened the file left by an earlier run while it was readable, and waits for the next secret in it.
        var path = Path.Combine(_dir, "redis.conf");
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        await PrivatePaths.WriteSecretFileAsync(path, "requirepass s3cret");

        Assert.Equal(0, reader.Length);
        Assert.Equal("requirepass s3cret", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_secret_is_not_written_through_a_link_planted_in_its_place()
    {
        var elsewhere = Path.Combine(_dir, "elsewhere");
        File.WriteAllText(elsewhere, "");
        var path = Path.Combine(_dir, "initdb.pw");
        File.CreateSymbolicLink(path, elsewhere);

        await PrivatePaths.WriteSecretFileAsync(path, "s3cret");

        Assert.Equal("", File.ReadAllText(elsewhere));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_stored_secret_others_may_read_is_refused()
    {
        var path = Path.Combine(_dir, "postgres-password");
        File.WriteAllText(path, "seen-by-others");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var refused = Assert.Throws<MallSetupException>(() => new StoredSecret(path).GetDefaultValue());
        Assert.Contains(path, refused.Message);
    }

    [SkippableFact]
    public void A_stored_secret_of_another_user_is_refused()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "Giving a file to another user needs root.");
        var path = Path.Combine(_dir, "postgres-password");
        File.WriteAllText(path, "planted");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(0, Executables.Run("chown", ["nobody", path], TimeSpan.FromSeconds(5)).ExitCode);

        Assert.Throws<MallSetupException>(() => new StoredSecret(path).GetDefaultValue());
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

public class FallbackFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ttmall-fallback-").FullName;

    public void Dispose() => Executables.Run("rm", ["-rf", _dir], TimeSpan.FromSeconds(30));

    private LocalDataRoot Root(string fallbackBase) => new(Path.Combine(_dir, "data"), fallbackBase);

    [Fact]
    public void A_new_fallback_folder_is_ours_and_listable_by_nobody_else()
    {
        var fallback = Path.Combine(_dir, "ttmall");

        var folder = Root(fallback).FallbackDirectory("postgres");

        const UnixFileMode traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        Assert.Equal(traversable, File.GetUnixFileMode(fallback));
        Assert.Equal(traversable, File.GetUnixFileMode(Path.GetDirectoryName(folder)!));
    }

    [Fact]
    public void A_link_in_place_of_the_fallback_folder_is_refused()
    {
        var fallback = Path.Combine(_dir, "ttmall");
        Directory.CreateSymbolicLink(fallback, Directory.CreateDirectory(Path.Combine(_dir, "someone-elses")).FullName);

        var refused = Assert.Throws<MallSetupException>(() => Root(fallback).FallbackDirectory("postgres"));
        Assert.Contains(fallback, refused.Message);
    }

    [Fact]
    public void A_fallback_folder_others_may_write_in_is_refused()
    {
        var fallback = Directory.CreateDirectory(Path.Combine(_dir, "ttmall")).FullName;
        File.SetUnixFileMode(fallback, (UnixFileMode)0b111_111_111);

        Assert.Throws<MallSetupException>(() => Root(fallback).FallbackDirectory("postgres"));
    }

    [SkippableFact]
    public void A_fallback_folder_made_by_another_user_is_refused()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "Giving a folder to another user needs root.");
        var root = Root(Path.Combine(_dir, "ttmall"));
        var perRoot = Path.GetDirectoryName(root.FallbackDirectory("postgres"))!;
        Assert.Equal(0, Executables.Run("chown", ["nobody", perRoot], TimeSpan.FromSeconds(5)).ExitCode);

        var refused = Assert.Throws<MallSetupException>(() => root.FallbackDirectory("postgres"));
        Assert.Contains(perRoot, refused.Message);
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
