using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>The server against a scripted peer (an in-test web server): what it reads from a peer and what it sends one.</summary>
public sealed class PeerProtocolTests
{
    /// <summary>A peer as lenient writers produce it: single objects where arrays are usual, numbers and strings mixed.</summary>
    private const string LenientRegistry = """
        {"applications":{"versions__delta":7,"apps__hashcode":"OUT_OF_SERVICE_1_UP_1_",
         "application":[
          {"name":"ORDERS","instance":{"instanceId":"orders-1","hostName":"localhost","app":"ORDERS","ipAddr":"127.0.0.1",
            "status":"UP","port":{"$":"8081","@enabled":true},"dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$MyDataCenterInfo","name":"MyOwn"},
            "lastDirtyTimestamp":1700000000000,"leaseInfo":{"durationInSecs":"90"},"metadata":{"@class":"java.util.Collections$EmptyMap"},"unknown":{"x":1}}},
          {"name":"USERS","instance":[{"hostName":"users-host","app":"USERS","ipAddr":"127.0.0.2","status":"OUT_OF_SERVICE","overriddenstatus":"OUT_OF_SERVICE",
            "port":{"$":8082,"@enabled":"true"},"dataCenterInfo":{"name":"MyOwn"},"lastDirtyTimestamp":"1700000000001"}]}
         ]}}
        """;

    [Fact]
    public async Task A_starting_server_copies_a_peers_registry_written_with_single_objects_and_loose_types()
    {
        await using var scripted = await ScriptedPeer.StartAsync(LenientRegistry);

        await using var peer = await DiscoveryPeer.StartAsync(null, PeerArguments.NoSelfPreservation, PeerArguments.PatientStartupSync, $"--Discovery:PeerUrls:0={scripted.EurekaUri}");
        using var eureka = EurekaTestClient.For(peer);

        var applications = await eureka.ApplicationsAsync();
        Assert.Equal("OUT_OF_SERVICE_1_UP_1_", (string?)applications["apps__hashcode"]);
        var orders = Envelope.Instance(applications, "orders-1");
        Assert.Equal(8081, (int)orders["port"]!["$"]!);
        Assert.Equal("1700000000000", (string?)orders["lastDirtyTimestamp"]);
        var users = Envelope.Instance(applications, "users-host");
        Assert.Equal("OUT_OF_SERVICE", (string?)users["overriddenStatus"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)users["status"]);
        Assert.Empty(scripted.Batches);
    }

    [Fact]
    public async Task A_clients_writes_go_to_the_peer_as_batches_marked_as_replication_and_a_peers_do_not()
    {
        await using var scripted = await ScriptedPeer.StartAsync("""{"applications":{"versions__delta":"1","apps__hashcode":"","application":[]}}""");
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:SelfPreservation=false", $"--Discovery:PeerUrls:0={scripted.EurekaUri}");
        using var eureka = EurekaTestClient.For(peer);

        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "from-a-peer"), replication: true);
        await eureka.HeartbeatOkAsync("ORDERS", "from-a-peer");
        (await eureka.CancelAsync("ORDERS", "from-a-peer", replication: true)).Dispose();
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        (await eureka.OverrideStatusAsync("ORDERS", "orders-1", "OUT_OF_SERVICE")).Dispose();
        (await eureka.CancelAsync("ORDERS", "orders-1")).Dispose();

        await Eventually.HoldsAsync(() => Task.FromResult(scripted.Items.Any(i => (string?)i["action"] == "Cancel" && (string?)i["id"] == "orders-1")),
            Deadlines.Replication, "the cancel reaches the peer", () => $"it got {string.Join(", ", scripted.Items.Select(i => $"{i["action"]} {i["id"]}"))}");
        Assert.All(scripted.Batches, b => Assert.Equal("true", b.ReplicationHeader));
        var items = scripted.Items.ToList();
        Assert.Equal(
            ["Heartbeat from-a-peer", "Register orders-1", "StatusUpdate orders-1", "Cancel orders-1"],
            items.Select(i => $"{i["action"]} {i["id"]}"));
        var register = items[1];
        Assert.Equal("ORDERS", (string?)register["appName"]);
        Assert.Equal("orders-1", (string?)register["instanceInfo"]!["instanceId"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)items[2]["status"]);
    }

    /// <summary>Serves a fixed registry at /eureka/apps and records the replication batches it is sent (answering each item 200).</summary>
    private sealed class ScriptedPeer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ScriptedPeer(WebApplication app, Uri eurekaUri)
        {
            _app = app;
            EurekaUri = eurekaUri;
        }

        public Uri EurekaUri { get; }

        public ConcurrentQueue<(string? ReplicationHeader, JsonArray List)> Batches { get; } = new();

        public IEnumerable<JsonNode> Items => Batches.SelectMany(b => b.List).Select(i => i!);

        public static async Task<ScriptedPeer> StartAsync(string registry)
        {
            var port = FreePort.OnLoopback();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var peer = new ScriptedPeer(app, new Uri($"http://127.0.0.1:{port}/eureka/"));
            app.MapGet("/eureka/apps", () => Results.Text(registry, "application/json"));
            app.MapPost("/eureka/peerreplication/batch", async (HttpContext context) =>
            {
                var list = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!["replicationList"]!.AsArray();
                peer.Batches.Enqueue((context.Request.Headers["x-netflix-discovery-replication"].ToString(), list));
                var results = new JsonArray([.. list.Select(_ => (JsonNode)new JsonObject { ["statusCode"] = 200 })]);
                return Results.Text(new JsonObject { ["responseList"] = results }.ToJsonString(), "application/json");
            });
            await app.StartAsync();
            return peer;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
