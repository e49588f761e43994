using System.Globalization;

namespace TTMall.Hosting.Local;

/// <summary>
/// Files and folders holding the local servers' secrets and data, which other users on the machine must neither read
/// nor plant: secret files are created with their final mode in one step, and existing ones are used only when they
/// are the AppHost user's own and private.
/// </summary>
public static class PrivatePaths
{
    private const UnixFileMode OthersMayWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode OthersMayAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                                 UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly Lazy<int> s_currentUser = new(() =>
        int.Parse(Executables.Run("id", ["-u"], TimeSpan.FromSeconds(5)).Output.Trim(), CultureInfo.InvariantCulture));

    /// <summary>
    /// Writes <paramref name="content"/> to a new file that is 0600 from the moment it exists (O_CREAT|O_EXCL with the
    /// mode given to open), replacing a file left at <paramref name="path"/> by an earlier run.
    /// </summary>
    public static async Task WriteSecretFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content.AsMemory(), cancellationToken);
    }

    /// <summary>Reads a secret file, refusing one that another user owns or that others may read or write.</summary>
    public static string ReadSecretFile(string path)
    {
        var status = Status(path);
        if (status.Kind != "regular file" || status.Owner != s_currentUser.Value || (status.Mode & OthersMayAccess) != 0)
        {
            throw new MallSetupException(
                $"the secret file {path} is not a private file of this user ({status.Describe()}); it may have been read or planted by someone else. " +
                "If you trust it, make it yours with chown and chmod 600; otherwise remove the local data with ./mall reset.");
        }

        return File.ReadAllText(path);
    }

    /// <summary>Creates <paramref name="path"/> with <paramref name="mode"/> unless it exists, then makes sure it is a folder of this user's that nobody else may write in.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void EnsureOwnDirectory(string path, UnixFileMode mode)
    {
        Directory.CreateDirectory(path, mode);
        // Checked after creating: a folder someone else made first, or a link, is found either way.
        var status = Status(path);
        if (status.Kind != "directory" || status.Owner != s_currentUser.Value || (status.Mode & OthersMayWrite) != 0)
        {
            throw new MallSetupException(
                $"the folder {path} is not this user's own ({status.Describe()}), so the mall's data cannot be kept there safely. " +
                "Remove it (as its owner), or set TTMall:DataRoot to a folder the servers' users can reach.");
        }
    }

    /// <summary>The owner, mode and kind of <paramref name="path"/> itself (a link is not followed).</summary>
    public static PathStatus Status(string path)
    {
        var result = Executables.Run("stat", ["-c", "%u %a %F", "--", path], TimeSpan.FromSeconds(5));
        var parts = result.Output.Trim().Split(' ', 3);
        if (result.ExitCode != 0 || parts.Length != 3)
        {
            throw new MallSetupException($"could not read the owner and mode of {path}: {result.Error.Trim()}");
        }

        return new(int.Parse(parts[0], CultureInfo.InvariantCulture), (UnixFileMode)Convert.ToInt32(parts[1], 8), parts[2]);
    }
}

public sealed record PathStatus(int Owner, UnixFileMode Mode, string Kind)
{
    public string Describe() => $"{Kind}, owner uid {Owner}, mode {Convert.ToString((int)Mode, 8)}";
}
