using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>What protects the server: a body size limit, registration rate limits and bounds on what it holds; it keeps serving through all.</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task An_oversized_registration_is_413_and_the_server_keeps_serving()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:MaxRequestBodyBytes=1000");
        using var eureka = EurekaTestClient.For(peer);
        var instance = InstanceJson.Create("ORDERS", "big");
        instance["metadata"] = new JsonObject { ["padding"] = new string('x', 5_000) };

        using var tooBig = await eureka.RegisterAsync(instance);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Null(await eureka.InstanceOrNullAsync("ORDERS", "big"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "small"));
        Assert.True(await eureka.ListsAsync("small"));
    }

    [Fact]
    public async Task An_oversized_chunked_registration_without_a_length_is_refused_and_the_server_keeps_serving()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:MaxRequestBodyBytes=1000");
        using var eureka = EurekaTestClient.For(peer);
        var instance = InstanceJson.Create("ORDERS", "big");
        instance["metadata"] = new JsonObject { ["padding"] = new string('x', 50_000) };
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(InstanceJson.Document(instance))));
        content.Headers.ContentType = new("application/json");

        using var request = new HttpRequestMessage(HttpMethod.Post, "apps/ORDERS") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = TestDiscovery.App("ORDERS");
        using var tooBig = await eureka.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Null(await eureka.InstanceOrNullAsync("ORDERS", "big"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "small"));
    }

    [Fact]
    public async Task A_registration_storm_beyond_the_rate_gets_429_with_retry_after_and_the_server_keeps_serving()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:RegistrationsPerSecond=5");
        using var eureka = EurekaTestClient.For(peer);

        var storm = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => eureka.RegisterAsync(InstanceJson.Create("STORM", $"storm-{i}"))));
        var lasted = storm.Elapsed;

        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.NoContent);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(30, accepted + refused.Count);
        Assert.InRange(accepted, 5, RateBudget.MostTokens(5, lasted));
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta is { } delay && delay > TimeSpan.Zero, r.Headers.ToString()));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(accepted, Envelope.Instances(await eureka.ApplicationsAsync()).Count);
        Assert.Equal(HttpStatusCode.OK, (await eureka.Http.GetAsync("apps/STORM")).StatusCode);
        await Eventually.HoldsAsync(
            async () => { using var again = await eureka.RegisterAsync(InstanceJson.Create("STORM", "after-the-storm")); return again.StatusCode == HttpStatusCode.NoContent; },
            Deadlines.Background, "registrations are accepted again after the storm");
    }

    [Fact]
    public async Task Replicated_registrations_have_a_budget_of_their_own()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:RegistrationsPerSecond=5");
        using var eureka = EurekaTestClient.For(peer);

        var storm = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => eureka.RegisterAsync(InstanceJson.Create("PEER", $"peer-{i}"), replication: true)));
        var lasted = storm.Elapsed;
        // The peers' storm has not spent the clients' budget.
        using var client = await eureka.RegisterAsync(InstanceJson.Create("CLIENT", "client-1"));

        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.NoContent);
        Assert.Equal(30, accepted + responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.InRange(accepted, 5, RateBudget.MostTokens(5, lasted));
        Assert.Equal(HttpStatusCode.NoContent, client.StatusCode);
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(accepted + 1, Envelope.Instances(await eureka.ApplicationsAsync()).Count);
    }

    [Fact]
    public async Task A_full_registry_refuses_new_instances_with_507_but_accepts_known_ones_again()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:MaxInstances=3");
        using var eureka = EurekaTestClient.For(peer);
        for (var i = 1; i <= 3; i++)
        {
            await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", $"orders-{i}"));
        }

        using var fourth = await eureka.RegisterAsync(InstanceJson.Create("ORDERS", "orders-4"));
        using var replicatedFourth = await eureka.RegisterAsync(InstanceJson.Create("ORDERS", "orders-4"), replication: true);

        Assert.Equal(HttpStatusCode.InsufficientStorage, fourth.StatusCode);
        Assert.Equal(HttpStatusCode.InsufficientStorage, replicatedFourth.StatusCode);
        Assert.Null(await eureka.InstanceOrNullAsync("ORDERS", "orders-4"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-2", status: "DOWN"));
        Assert.Equal("DOWN", (string?)(await eureka.InstanceAsync("ORDERS", "orders-2"))["status"]);
        await eureka.HeartbeatOkAsync("ORDERS", "orders-1");

        (await eureka.CancelAsync("ORDERS", "orders-3")).Dispose();
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-4"));
        Assert.Equal(3, Envelope.Instances(await eureka.ApplicationsAsync()).Count);
    }
}
