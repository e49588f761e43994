namespace TTMall.Hosting.Local;

/// <summary>Where a local Postgres cluster lives and which binaries run it.</summary>
public sealed record PostgresLayout(string BinDirectory, string Root)
{
    public string DataDirectory => Path.Combine(Root, "data");
    public string SocketDirectory => Path.Combine(Root, "run");
    public string Server => Path.Combine(BinDirectory, "postgres");
    public string InitDb => Path.Combine(BinDirectory, "initdb");

    /// <summary>The major version of the binaries: Debian installs them under /usr/lib/postgresql/&lt;major&gt;/bin.</summary>
    public string MajorVersion => Path.GetFileName(Path.GetDirectoryName(BinDirectory.TrimEnd('/'))) ?? "";
}
