using System.Security.Cryptography;
using System.Text;

namespace TTMall.Hosting.Local;

/// <summary>
/// The git-ignored folder holding the local servers' data, kept between runs (default <c>.data/</c> in the
/// checkout; <c>./mall reset</c> removes it). A server that runs as another user needs every folder above its
/// data to be traversable by that user; where the checkout is private (a home folder, a mktemp folder) its data
/// goes to <c>/var/tmp/ttmall/&lt;hash&gt;/</c> instead, with a symbolic link in the data root pointing there.
/// </summary>
public sealed class LocalDataRoot(string root, string fallbackBase = LocalDataRoot.DefaultFallbackBase)
{
    public const string DefaultFallbackBase = "/var/tmp/ttmall";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>A folder only the AppHost's user can read, for generated passwords.</summary>
    public string SecretsDirectory
    {
        get
        {
            var path = Path.Combine(Root, "secrets");
            if (OperatingSystem.IsWindows())
            {
                return Directory.CreateDirectory(path).FullName;
            }

            PrivatePaths.EnsureOwnDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return path;
        }
    }

    /// <summary>The folder for one server's files, owned by and reachable for its account.</summary>
    public string ServerDirectory(string server, ServiceAccount account)
    {
        Directory.CreateDirectory(Root);
        var inRoot = Path.Combine(Root, server);

        if (new FileInfo(inRoot).LinkTarget is { } linked)
        {
            // The link leads into a shared folder such as /var/tmp: only into one of ours.
            EnsureOurs(Path.GetDirectoryName(Path.GetDirectoryName(linked))!);
            EnsureOurs(Path.GetDirectoryName(linked)!);
            Directory.CreateDirectory(linked);
            account.Own(linked);
            return linked;
        }

        Directory.CreateDirectory(inRoot);
        account.Own(inRoot);
        if (account.CanWriteIn(inRoot))
        {
            return inRoot;
        }

        if (Directory.EnumerateFileSystemEntries(inRoot).Any())
        {
            throw new MallSetupException(
                $"the {server} data folder {inRoot} is not reachable by the '{account.UserName}' user (a folder above it is private). " +
                $"Make the folders above it traversable (chmod o+x), or remove the local data with ./mall reset.");
        }

        var outside = FallbackDirectory(server);
        Directory.CreateDirectory(outside);
        account.Own(outside);
        Directory.Delete(inRoot);
        File.CreateSymbolicLink(inRoot, outside);
        return outside;
    }

    /// <summary>Where a server's data goes when the checkout is private; one folder per data root.</summary>
    public string FallbackDirectory(string server)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Root)))[..12];
        var perRoot = Path.Combine(fallbackBase, hash);
        EnsureOurs(fallbackBase);
        EnsureOurs(perRoot);
        return Path.Combine(perRoot, server);
    }

    /// <summary>
    /// A folder in a place every user may write in (/var/tmp) is used only when it is the AppHost user's: another
    /// user could otherwise have made it first, or a link in its place, and read or swap the servers' data.
    /// </summary>
    private static void EnsureOurs(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        // Traversable by the servers' users, listable by nobody else.
        PrivatePaths.EnsureOwnDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                                   UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }
}
