using TTMall.Eureka;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>The credential in a service URL: sent to the server, never written to a log.</summary>
public sealed class CredentialTests
{
    [Fact]
    public async Task A_server_that_does_not_answer_is_logged_by_its_address_without_the_password()
    {
        var nobody = FreePort.OnLoopback();
        var password = DiscoveryCredentials.AppPassword(TestDiscovery.Secret, "CARTS");
        await using var service = await TestService.StartAsync(new TestServiceOptions($"http://127.0.0.1:{nobody}/eureka/") { AppName = "carts", InstanceId = "carts-unlogged" });

        await Eventually.HoldsAsync(() => service.Log.Contains("Could not register", StringComparison.Ordinal), TimeSpan.FromSeconds(10),
            "the failed registration logged", () => service.Log);

        Assert.Contains($"127.0.0.1:{nobody}", service.Log);
        Assert.DoesNotContain(password, service.Log);
    }
}
