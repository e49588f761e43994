using System.Diagnostics;
using System.Reflection;

namespace TTMall.Testing;

/// <summary>The checkout the tests run in, and how it was built.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (the AppHost was built the same way).</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TTMall.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TTMall.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fresh local data root for one test, removed with <c>./mall reset</c> afterwards.</summary>
public sealed class TestDataRoot : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(Repository.Root, ".data", "tests", Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        var reset = new ProcessStartInfo("bash", [System.IO.Path.Combine(Repository.Root, "mall"), "reset"])
        {
            Environment = { ["TTMall__DataRoot"] = Path },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(reset)!;
        process.WaitForExit(TimeSpan.FromSeconds(60));
    }
}

