namespace TTMall.Hosting.Local;

/// <summary>
/// The OS user a local server runs as. Postgres refuses to run as root, and a broker started as root
/// re-launches itself through su, so when the AppHost is root each server runs as its package's own
/// user (postgres, rabbitmq) through setpriv, which replaces itself with the server: the pid Aspire
/// stops is the server's. When the AppHost is not root, servers run as the current user.
/// </summary>
public sealed record ServiceAccount(string? UserName)
{
    public static ServiceAccount CurrentUser { get; } = new((string?)null);

    /// <summary>The package's user when running as root, otherwise the current user.</summary>
    public static ServiceAccount For(string packageUser, bool isRoot) => isRoot ? new(packageUser) : CurrentUser;

    public bool SwitchesUser => UserName is not null;

    /// <summary>The command line that runs <paramref name="command"/> as this account.</summary>
    public (string Command, IReadOnlyList<string> Arguments) Wrap(string command, IReadOnlyList<string> arguments) =>
        UserName is null
            ? (command, arguments)
            : ("setpriv", [$"--reuid={UserName}", $"--regid={UserName}", "--init-groups", "--", command, .. arguments]);

    /// <summary>Makes this account the owner of <paramref name="path"/> and everything under it.</summary>
    public void Own(string path)
    {
        if (UserName is null)
        {
            return;
        }

        var result = Executables.Run("chown", ["-R", $"{UserName}:{UserName}", path], TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new MallSetupException($"could not give {path} to the '{UserName}' user: {result.Error.Trim()}");
        }
    }

    /// <summary>Whether this account can create files in <paramref name="directory"/> (every folder above it traversable).</summary>
    public bool CanWriteIn(string directory)
    {
        if (UserName is null)
        {
            return Directory.Exists(directory);
        }

        var (command, arguments) = Wrap("test", ["-w", directory, "-a", "-x", directory]);
        return Executables.Run(command, arguments, TimeSpan.FromSeconds(10)).ExitCode == 0;
    }

    public void EnsureExists()
    {
        if (UserName is not null && Executables.Run("id", ["-u", UserName], TimeSpan.FromSeconds(5)).ExitCode != 0)
        {
            throw new MallSetupException(
                $"the system user '{UserName}' does not exist. It comes with the server's Debian package; reinstall that package.");
        }
    }
}
