using System.Net;

namespace TTMall.Gateway.Tests;

/// <summary>
/// What the gateway does with any request: it forwards request bodies up to 1 MB (Gateway:MaxRequestBodyBytes) and
/// answers 413 itself beyond that; a body a service refuses is that service's 413, and costs its replica nothing; HEAD
/// goes through as HEAD. It routes the APIs of the services the mall runs: one with no instance is a 503 problem, any other
/// API a 404 problem.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RequestRulesTests(MallCluster cluster)
{
    private const int OneMegabyte = 1024 * 1024;

    [Fact]
    public async Task A_body_over_1_MB_is_a_413_problem_from_the_gateway_whether_its_length_is_declared_or_not()
    {
        await cluster.EnsureAllRunningAsync();
        var gateway = cluster.Gateways[0];
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = gateway.BaseUri };
        var json = $$"""{"rating":5,"text":"{{new string('x', OneMegabyte)}}"}""";
        var path = $"api/products/{cluster.ProductIds[0]}/reviews";

        // Refused from its Content-Length, before anything is forwarded; and while it is forwarded, once past 1 MB.
        using var declared = await http.PostAsync(path, HttpChecks.Json(json));
        using var chunked = await http.PostAsync(path, HttpChecks.Chunked(json));

        foreach (var response in new[] { declared, chunked })
        {
            await ProblemAssert.StatusAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal(gateway.Name, Assert.Single(response.Headers.GetValues("X-TTMall-Instance")));
            Assert.True(response.Headers.ConnectionClose);
        }
    }

    [Fact]
    public async Task An_API_of_a_service_with_no_instance_is_a_503_problem_and_one_no_service_of_the_mall_runs_a_404()
    {
        await cluster.EnsureAllRunningAsync();
        foreach (var gateway in cluster.Gateways)
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = gateway.BaseUri };
            // users is routed (the mall runs it) but this cluster starts no users replica.
            using var noInstance = await http.GetAsync("api/users/me");
            await ProblemAssert.StatusAsync(noInstance, HttpStatusCode.ServiceUnavailable);
            foreach (var path in new[] { "api/orders/1", "api/nothing-here", "api/" })
            {
                using var unknown = await http.GetAsync(path);
                await ProblemAssert.StatusAsync(unknown, HttpStatusCode.NotFound);
            }

            // No frontend runs here either: / is not routed anywhere.
            using var root = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
            using var served = await http.GetAsync($"api/products/{cluster.ProductIds[0]}");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }
    }

    [Fact]
    public async Task A_body_a_service_refuses_is_its_413_and_its_replica_stays_in_rotation()
    {
        await cluster.EnsureAllRunningAsync();
        var gateway = cluster.Gateways[0];
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = gateway.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For(TestTokens.NewUser()));
        var json = $$"""{"rating":5,"text":"{{new string('x', 100 * 1024)}}"}""";
        var started = DateTime.UtcNow;

        var instances = new List<string>();
        foreach (var content in new[] { HttpChecks.Json(json), HttpChecks.Chunked(json), HttpChecks.Json(json), HttpChecks.Chunked(json) })
        {
            using var response = await http.PostAsync($"api/products/{cluster.ProductIds[0]}/reviews", content);
            await ProblemAssert.StatusAsync(response, HttpStatusCode.RequestEntityTooLarge);
            instances.Add(Assert.Single(response.Headers.GetValues("X-TTMall-Instance")));
        }

        Assert.All(instances, i => Assert.StartsWith("products-", i, StringComparison.Ordinal));
        var ejections = cluster.Gateways.SelectMany(g => g.Lines)
            .Where(l => (MallService.LoggedAt(l) ?? l.ReceivedUtc) >= started && l.Text.Contains("failed a request", StringComparison.Ordinal))
            .ToList();
        Assert.True(ejections.Count == 0, $"a replica was taken out over a refused body:\n{string.Join("\n", ejections)}");
        var served = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await http.GetAsync($"api/products/{cluster.ProductIds[i % cluster.ProductIds.Count]}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            served.Add(Assert.Single(response.Headers.GetValues("X-TTMall-Instance")));
        }

        Assert.Equal(cluster.Products.Select(p => p.Name).Order(), served.Order());
    }

    [Fact]
    public async Task HEAD_through_the_gateway_answers_as_GET()
    {
        await cluster.EnsureAllRunningAsync();
        var gateway = cluster.Gateways[0].BaseUri;

        Assert.Equal(200, await HttpChecks.AssertHeadAnswersAsGetAsync(gateway, "/api/products/categories", null, "X-TTMall-Instance"));
        Assert.Equal(200, await HttpChecks.AssertHeadAnswersAsGetAsync(gateway, $"/api/products/{cluster.ProductIds[0]}/image.svg", null, "X-TTMall-Instance"));
        Assert.Equal(404, await HttpChecks.AssertHeadAnswersAsGetAsync(gateway, "/api/products/999999", null, "X-TTMall-Instance"));
        Assert.Equal(404, await HttpChecks.AssertHeadAnswersAsGetAsync(gateway, "/api/nothing-here", null, "X-TTMall-Instance"));
    }
}
