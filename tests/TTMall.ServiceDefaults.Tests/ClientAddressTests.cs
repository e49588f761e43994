using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>
/// The real gateway process in front of a service (<see cref="TestService"/>, with the service defaults), clients
/// connecting from their own loopback addresses (127.0.0.2, 127.0.0.3): who the gateway and the service see.
/// </summary>
public sealed class ClientAddressTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DiscoveryProfile Profile = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.Zero);

    private FakeEureka? _eureka;
    private TestService? _service;
    private readonly List<ServiceProcess> _gateways = [];

    private FakeEureka Eureka => _eureka!;

    public async Task InitializeAsync()
    {
        _eureka = await FakeEureka.StartAsync();
        _service = await TestService.StartAsync(new TestServiceOptions(Eureka.EurekaUri.ToString())
        {
            AppName = "products", InstanceId = "products-1", Register = false,
        });
        Eureka.Set([HostileRegistry.Good("products-1", _service.Port)]);
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        if (_eureka is not null)
        {
            await _eureka.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_service_behind_the_gateway_sees_the_clients_address_and_not_one_the_client_forged()
    {
        var gateway = await StartGatewayAsync("gateway-1");
        using var client = From("127.0.0.2");

        using var plain = await client.GetAsync(new Uri(gateway.BaseUri, "api/products/caller"));
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseUri, "api/products/caller"))
        {
            Headers = { { "X-Forwarded-For", "203.0.113.9" } },
        };
        using var forgedResponse = await client.SendAsync(forged);

        Assert.Equal("127.0.0.2|", await plain.Content.ReadAsStringAsync());
        Assert.Equal("127.0.0.2|", await forgedResponse.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_service_ignores_x_forwarded_for_from_anyone_but_the_gateway()
    {
        using var client = From("127.0.0.2");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_service!.Port}/api/products/caller")
        {
            Headers = { { "X-Forwarded-For", "203.0.113.9" } },
        };

        using var response = await client.SendAsync(request);

        Assert.Equal("127.0.0.2|203.0.113.9", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_gateway_limits_each_client_address_on_its_own()
    {
        var gateway = await StartGatewayAsync("gateway-1", ("Gateway__RateLimit__Burst", "5"), ("Gateway__RateLimit__PermitsPerSecond", "1"));
        using var greedy = From("127.0.0.2");
        using var other = From("127.0.0.3");
        var url = new Uri(gateway.BaseUri, "api/products/caller");

        var greedyStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await greedy.GetAsync(url);
            greedyStatuses.Add(response.StatusCode);
        }

        using var othersFirst = await other.GetAsync(url);

        Assert.Contains(HttpStatusCode.TooManyRequests, greedyStatuses);
        Assert.Equal(HttpStatusCode.OK, othersFirst.StatusCode);
        Assert.Equal("127.0.0.3|", await othersFirst.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Gateway_replicas_share_one_port_each_seeing_its_clients_and_a_killed_one_is_passed_over()
    {
        // As the AppHost starts them: each on its own port, and on the front door's well-known port together.
        var port = FreePort.OnLoopback();
        var frontDoor = ("Gateway__FrontDoorUrl", $"http://localhost:{port}");
        var first = await StartGatewayAsync("gateway-1", frontDoor);
        var second = await StartGatewayAsync("gateway-2", frontDoor);
        var url = new Uri($"http://127.0.0.1:{port}/api/products/caller");

        // Each request on a new connection, from one of two addresses: the kernel spreads connections over both replicas.
        var servedBy = new HashSet<string>();
        await Eventually.HoldsAsync(async () =>
        {
            var from = servedBy.Count % 2 == 0 ? "127.0.0.2" : "127.0.0.3";
            using var client = From(from);
            using var response = await client.GetAsync(url);
            if (await response.Content.ReadAsStringAsync() != $"{from}|")
            {
                throw new InvalidOperationException($"the service saw another caller than {from}");
            }

            servedBy.Add(response.Headers.GetValues("X-TTMall-Gateway").Single());
            return servedBy.Count == 2;
        }, TimeSpan.FromSeconds(10), "both replicas serve on the shared port", () => first.Log + "\n" + second.Log);

        await first.KillAsync();
        var killedAt = Stopwatch.StartNew();
        var failures = new List<(TimeSpan At, string Error)>();
        var served = 0;
        while (killedAt.Elapsed < TimeSpan.FromSeconds(2))
        {
            try
            {
                using var client = From("127.0.0.2");
                using var response = await client.GetAsync(url);
                Assert.Equal("gateway-2", response.Headers.GetValues("X-TTMall-Gateway").Single());
                served++;
            }
            catch (HttpRequestException e)
            {
                failures.Add((killedAt.Elapsed, e.Message));
            }
        }

        output.WriteLine($"after killing gateway-1: {served} requests on new connections served by gateway-2 within 2 s, {failures.Count} failed" +
                         string.Concat(failures.Select(f => $"\n  {f.At.TotalMilliseconds:0} ms: {f.Error}")));
        Assert.True(served > 50, $"only {served} served");
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_idempotent_write_is_repeated_on_another_replica_only_when_its_body_is_small(bool chunked)
    {
        await using var dropper = await NamedServer.StartAsync("products-dropper", dropsRequests: true);
        Eureka.Set([HostileRegistry.Good("products-1", _service!.Port), HostileRegistry.Good("products-dropper", dropper.Port)]);
        var gateway = await StartGatewayAsync("gateway-1", ("Gateway__ReactivationPeriod", "00:00:00.1"), ("Gateway__MaxRepeatableBodyBytes", "4096"));
        using var client = From("127.0.0.2");
        var url = new Uri(gateway.BaseUri, "api/products/caller");
        await Eventually.HoldsAsync(async () => (await client.GetAsync(url)).IsSuccessStatusCode && dropper.Served > 0,
            TimeSpan.FromSeconds(10), "the gateway routes to both", () => gateway.Log);

        async Task<(int Dropped, List<HttpStatusCode> Statuses)> PostUntilDroppedAsync(int bodyBytes)
        {
            var before = dropper.Served;
            var statuses = new List<HttpStatusCode>();
            for (var deadline = Stopwatch.StartNew(); dropper.Served - before < 3 && deadline.Elapsed < TimeSpan.FromSeconds(15);)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Headers = { { "Idempotency-Key", Guid.NewGuid().ToString("N") } },
                    // Chunked as JSON serialisers send a body: no length up front.
                    Content = chunked ? new StreamContent(new MemoryStream(new byte[bodyBytes])) : new ByteArrayContent(new byte[bodyBytes]),
                };
                request.Headers.TransferEncodingChunked = chunked;
                using var response = await client.SendAsync(request);
                statuses.Add(response.StatusCode);
                await Task.Delay(50);
            }

            return (dropper.Served - before, statuses);
        }

        var small = await PostUntilDroppedAsync(1024);
        var large = await PostUntilDroppedAsync(8192);

        output.WriteLine($"1 KB: {small.Dropped} dropped, answers {string.Join(",", small.Statuses.Select(s => (int)s))}");
        output.WriteLine($"8 KB: {large.Dropped} dropped, answers {string.Join(",", large.Statuses.Select(s => (int)s))}");
        Assert.Equal(3, small.Dropped);
        Assert.DoesNotContain(HttpStatusCode.BadGateway, small.Statuses);
        Assert.Equal(3, large.Dropped);
        Assert.Equal(3, large.Statuses.Count(s => s == HttpStatusCode.BadGateway));
    }

    private async Task<ServiceProcess> StartGatewayAsync(string instanceId, params (string Key, string Value)[] settings)
    {
        var gateway = MallService.Create("TTMall.Gateway", "gateway", instanceId, Eureka.EurekaUri.ToString(), Profile,
            publicKeys: null, connectionStrings: null);
        foreach (var (key, value) in settings)
        {
            gateway.Environment[key] = value;
        }

        _gateways.Add(gateway);
        await gateway.StartAsync(TimeSpan.FromSeconds(30));
        using var client = From("127.0.0.1");
        await Eventually.HoldsAsync(async () => (await client.GetAsync(new Uri(gateway.BaseUri, "api/products/caller"))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(10), "the gateway routes to the service", () => gateway.Log);
        return gateway;
    }

    /// <summary>An HttpClient whose connections come from <paramref name="address"/>, one connection per request.</summary>
    private static HttpClient From(string address)
    {
        var client = LocalAddressClient.From(address, connectionPerRequest: true);
        client.Timeout = TimeSpan.FromSeconds(10);
        return client;
    }
}
