using Microsoft.Extensions.Hosting;
using System.Diagnostics;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>What the standard resilience handler repeats on another instance when one answers 503: only what is safe to repeat.</summary>
public sealed class RetryTests(SharedDiscoveryPeer shared) : IClassFixture<SharedDiscoveryPeer>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);

    private DiscoveryPeer Peer => shared.Peer;

    [Fact]
    public async Task A_503_is_retried_elsewhere_for_GET_and_for_POST_with_an_Idempotency_Key_but_not_for_a_plain_POST()
    {
        await using var healthy = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "checkout", InstanceId = "checkout-ok" });
        await using var overloaded = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "checkout", InstanceId = "checkout-503", Unavailable = true });
        await using var caller = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "web", InstanceId = "web-retry", Register = false });
        await Eventually.HoldsAsync(() => caller.RoutableInstances("checkout").Count == 2, Soon, "both checkout instances routable", () => caller.Log);
        using var http = caller.CreateClient();

        // Round robin: of two requests in a row, one starts on the overloaded instance.
        var plain = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            var before = caller.Attempts.Count;
            using var response = await http.PostAsync("http://checkout/whoami", new StringContent("order"));
            plain.Add((int)response.StatusCode);
            Assert.Equal(1, caller.Attempts.Count - before);
        }

        Assert.Equal([200, 503], plain.Order());

        // Until the overloaded instance has had one of each (round robin gets there within two requests).
        var started = Stopwatch.GetTimestamp();
        var tried = overloaded.Served;
        for (var i = 0; i < 3 && overloaded.Served == tried; i++)
        {
            Assert.Equal("checkout-ok", await http.GetStringAsync("http://checkout/whoami"));
        }

        Assert.True(overloaded.Served > tried, "a GET reached the overloaded instance");
        tried = overloaded.Served;
        for (var i = 0; i < 3 && overloaded.Served == tried; i++)
        {
            using var keyed = new HttpRequestMessage(HttpMethod.Post, "http://checkout/whoami") { Content = new StringContent("order") };
            keyed.Headers.Add("Idempotency-Key", $"order-{i}");
            using var response = await http.SendAsync(keyed);
            Assert.Equal("checkout-ok", await response.Content.ReadAsStringAsync());
        }

        Assert.True(overloaded.Served > tried, "a keyed POST reached the overloaded instance");

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20), "retries with back-off, within the total timeout");
    }

    [Fact]
    public async Task A_GET_its_instance_does_not_answer_is_retried_elsewhere_after_the_read_attempt_timeout_and_the_instance_is_avoided()
    {
        await using var healthy = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "listing", InstanceId = "listing-ok" });
        await using var stalled = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "listing", InstanceId = "listing-stalled", Silent = true });
        await using var caller = await TestService.StartAsync(new TestServiceOptions(Peer) { AppName = "web", InstanceId = "web-stalled", Register = false });
        await Eventually.HoldsAsync(() => caller.RoutableInstances("listing").Count == 2, Soon, "both listing instances routable", () => caller.Log);
        using var http = caller.CreateClient();

        // Round robin: one of the first two reads starts on the stalled instance, which stays registered and UP; after
        // that it is set aside until its health check answers, so no later read waits for it.
        var took = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            var started = Stopwatch.GetTimestamp();
            Assert.Equal("listing-ok", await http.GetStringAsync("http://listing/whoami"));
            took.Add(Stopwatch.GetElapsedTime(started));
        }

        Assert.Equal(1, stalled.Served);
        Assert.Single(took, t => t >= ServiceDefaultsExtensions.ReadAttemptTimeout);
        Assert.True(caller.Log.Contains("did not answer a request in time", StringComparison.Ordinal), caller.Log);
        Assert.All(took, t => Assert.True(t < ServiceDefaultsExtensions.ReadAttemptTimeout + TimeSpan.FromSeconds(1.5),
            $"a read took {t.TotalMilliseconds:0} ms; the stalled instance gets {ServiceDefaultsExtensions.ReadAttemptTimeout.TotalSeconds} s, then another is asked at once"));
    }
}
