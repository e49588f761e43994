using System.Net;

namespace TTMall.Gateway.Tests;

/// <summary>Requests through a gateway are spread over every replica of the service.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BalancingTests(MallCluster cluster)
{
    private const int Requests = 200;
    private const double MaxShare = 0.7;

    [Fact]
    public async Task Two_hundred_requests_through_each_gateway_reach_every_products_replica_none_more_than_70_percent()
    {
        await cluster.EnsureAllRunningAsync();
        foreach (var gateway in cluster.Gateways)
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = gateway.BaseUri };
            var served = new Dictionary<string, int>();
            var next = 0;
            // Eight at a time, as a page's images and data are fetched.
            await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
            {
                var id = cluster.ProductIds[Interlocked.Increment(ref next) % cluster.ProductIds.Count];
                using var response = await http.GetAsync($"api/products/{id}", ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(gateway.Name, Assert.Single(response.Headers.GetValues("X-TTMall-Gateway")));
                var instance = Assert.Single(response.Headers.GetValues("X-TTMall-Instance"));
                lock (served)
                {
                    served[instance] = served.GetValueOrDefault(instance) + 1;
                }
            });

            var shares = string.Join(", ", served.Select(s => $"{s.Key}: {s.Value}"));
            Assert.True(cluster.Products.All(p => served.ContainsKey(p.Name)), $"through {gateway.Name}, not every replica was reached: {shares}");
            Assert.Equal(cluster.Products.Select(p => p.Name).Order(), served.Keys.Order());
            Assert.True(served.Values.All(n => n <= Requests * MaxShare), $"through {gateway.Name}, one replica got more than {MaxShare:P0}: {shares}");
        }
    }
}
