using System.Diagnostics;
using System.Security.Cryptography;
using TTMall.Eureka;

namespace TTMall.Hosting.Tests;

/// <summary><c>./mall eureka-url APP</c> derives in bash (openssl) what the AppHost and the peers derive in C#.</summary>
public sealed class EurekaUrlTests
{
    [Theory]
    [InlineData("products")]
    [InlineData("Orders")]
    [InlineData("an-app.the-apphost_does-not-run@7")]
    public async Task Mall_eureka_url_prints_both_peers_with_the_credential_the_peers_check(string app)
    {
        var secret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 48);
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "mall"), "eureka-url", app])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The same override the AppHost reads its parameter from, so the developer's user secrets are left alone.
            Environment = { ["Parameters__discovery-secret"] = secret },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        var expected = string.Join(",", new[] { 8761, 8762 }.Select(port => DiscoveryCredentials.AppServiceUrl($"http://localhost:{port}/eureka/", secret, app)));
        Assert.Equal(expected, output.Trim());
        Assert.StartsWith($"http://{Uri.EscapeDataString(app.ToUpperInvariant())}:", output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has:colon")]
    [InlineData("has space")]
    public async Task Mall_eureka_url_refuses_what_cannot_be_an_application_or_a_basic_user(string app)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "mall"), "eureka-url", app])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Parameters__discovery-secret"] = new string('s', 48) },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.NotEqual(0, process.ExitCode);
        Assert.DoesNotContain("http://", output);
    }
}
