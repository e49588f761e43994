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
            return OperatingSystem.IsWindows()
                ? Directory.CreateDirectory(path).FullName
                : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        }
    }

    /// <summary>The folder for one server's files, owned by and reachable for its account.</summary>
    public string ServerDirectory(string server, ServiceAccount account)
    {
        Directory.CreateDirectory(Root);
        var inRoot = Path.Combine(Root, server);

        if (new FileInfo(inRoot).LinkTarget is { } linked)
        {
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
        foreach (var dir in new[] { fallbackBase, perRoot })
        {
            // Traversable by the servers' users, listable by nobody else.
            Directory.CreateDirectory(dir);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                          UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return Path.Combine(perRoot, server);
    }
}
