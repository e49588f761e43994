using System.Net;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>lastDirtyTimestamp on heartbeats and registrations: who knows more decides between 200, 404 (register again) and 409.</summary>
public sealed class LastDirtyTimestampTests(DiscoveryServerFixture server) : IClassFixture<DiscoveryServerFixture>
{
    private const long Stored = 1_700_000_000_000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_heartbeat_with_the_stored_lastDirtyTimestamp_is_200(bool replication)
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterAsync(eureka);

        using var response = await eureka.HeartbeatAsync(app, id, $"?status=UP&lastDirtyTimestamp={Stored}", replication);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_heartbeat_newer_than_the_stored_instance_is_404_with_no_body_so_the_caller_registers_again(bool replication)
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterAsync(eureka);

        using var response = await eureka.HeartbeatAsync(app, id, $"?status=UP&lastDirtyTimestamp={Stored + 1}", replication);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(Stored.ToString(), (string?)(await eureka.InstanceAsync(app, id))["lastDirtyTimestamp"]);
    }

    [Fact]
    public async Task A_clients_heartbeat_older_than_the_stored_instance_is_200_with_no_body()
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterAsync(eureka);

        using var response = await eureka.HeartbeatAsync(app, id, $"?status=UP&lastDirtyTimestamp={Stored - 1}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_replicated_heartbeat_older_than_the_stored_instance_is_409_with_the_stored_instance()
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterAsync(eureka);

        using var response = await eureka.HeartbeatAsync(app, id, $"?status=UP&lastDirtyTimestamp={Stored - 1}", replication: true);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var instance = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["instance"]!;
        Assert.Equal(id, (string?)instance["instanceId"]);
        Assert.Equal(app, (string?)instance["app"]);
        Assert.Equal(Stored.ToString(), (string?)instance["lastDirtyTimestamp"]);
    }

    [Fact]
    public async Task A_heartbeat_without_lastDirtyTimestamp_renews_whatever_is_stored()
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterAsync(eureka);

        using var plain = await eureka.HeartbeatAsync(app, id);
        using var replicated = await eureka.HeartbeatAsync(app, id, "?status=UP", replication: true);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replicated.StatusCode);
    }

    [Fact]
    public async Task A_registration_older_than_the_stored_instance_keeps_the_stored_one()
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterAsync(eureka);
        var older = InstanceJson.Create(app, id, status: "DOWN", lastDirtyTimestamp: Stored - 1);
        older["metadata"] = new JsonObject { ["version"] = "old" };

        using var response = await eureka.RegisterAsync(older);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await eureka.InstanceAsync(app, id);
        Assert.Equal(Stored.ToString(), (string?)stored["lastDirtyTimestamp"]);
        Assert.Equal("UP", (string?)stored["status"]);
        Assert.Null(stored["metadata"]!["version"]);
    }

    [Fact]
    public async Task A_registration_newer_than_the_stored_instance_replaces_it()
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterAsync(eureka);
        var newer = InstanceJson.Create(app, id, status: "DOWN", lastDirtyTimestamp: Stored + 1);
        newer["metadata"] = new JsonObject { ["version"] = "new" };

        await eureka.RegisterOkAsync(newer);

        var stored = await eureka.InstanceAsync(app, id);
        Assert.Equal((Stored + 1).ToString(), (string?)stored["lastDirtyTimestamp"]);
        Assert.Equal("DOWN", (string?)stored["status"]);
        Assert.Equal("new", (string?)stored["metadata"]!["version"]);
    }

    private static async Task<(string App, string Id)> RegisterAsync(EurekaTestClient eureka)
    {
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id, lastDirtyTimestamp: Stored));
        Assert.Equal(Stored.ToString(), (string?)(await eureka.InstanceAsync(app, id))["lastDirtyTimestamp"]);
        return (app, id);
    }
}
