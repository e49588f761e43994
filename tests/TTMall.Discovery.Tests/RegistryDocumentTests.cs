using System.Text.Json;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>The full registry and the delta: envelope, apps__hashcode of the whole registry, actionTypes. Each test owns a server.</summary>
public sealed class RegistryDocumentTests
{
    [Theory]
    [InlineData("apps")]
    [InlineData("apps/delta")]
    public async Task An_empty_registry_has_an_empty_hashcode_and_an_empty_application_array(string path)
    {
        await using var peer = await StartAsync();
        using var eureka = EurekaTestClient.For(peer);

        var document = await eureka.GetJsonAsync(path);

        var applications = Assert.Single(document.AsObject()).Value!.AsObject();
        Assert.Equal("applications", document.AsObject().Single().Key);
        Assert.Equal(JsonValueKind.String, applications["versions__delta"]!.GetValueKind());
        Assert.Equal("", (string?)applications["apps__hashcode"]);
        Assert.Empty(applications["application"]!.AsArray());
    }

    [Fact]
    public async Task The_hashcode_counts_every_instance_by_status_with_statuses_in_ordinal_order()
    {
        await using var peer = await StartAsync();
        using var eureka = EurekaTestClient.For(peer);
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-2"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-3", status: "DOWN"));
        await eureka.RegisterOkAsync(InstanceJson.Create("PAYMENTS", "payments-1"));
        await eureka.RegisterOkAsync(InstanceJson.Create("PAYMENTS", "payments-2", status: "STARTING"));
        await eureka.RegisterOkAsync(InstanceJson.Create("CARTS", "carts-1"));
        (await eureka.OverrideStatusAsync("CARTS", "carts-1", "OUT_OF_SERVICE")).Dispose();

        var applications = await eureka.ApplicationsAsync();

        Assert.Equal("DOWN_1_OUT_OF_SERVICE_1_STARTING_1_UP_3_", (string?)applications["apps__hashcode"]);
        Assert.Equal(["CARTS", "ORDERS", "PAYMENTS"], Envelope.Applications(applications).Select(a => (string)a["name"]!).Order(StringComparer.Ordinal));
        Assert.Equal(6, Envelope.Instances(applications).Count);
        Assert.All(Envelope.Instances(applications), i => Assert.Null(i["actionType"]));
    }

    [Fact]
    public async Task A_registry_of_only_up_instances_matches_the_documented_example()
    {
        await using var peer = await StartAsync();
        using var eureka = EurekaTestClient.For(peer);
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-2"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-3"));
        await eureka.RegisterOkAsync(InstanceJson.Create("USERS", "users-1", status: "DOWN"));

        Assert.Equal("DOWN_1_UP_3_", (string?)(await eureka.ApplicationsAsync())["apps__hashcode"]);
    }

    [Fact]
    public async Task An_application_whose_last_instance_left_is_omitted()
    {
        await using var peer = await StartAsync();
        using var eureka = EurekaTestClient.For(peer);
        await eureka.RegisterOkAsync(InstanceJson.Create("GONE", "gone-1"));
        await eureka.RegisterOkAsync(InstanceJson.Create("STAYS", "stays-1"));
        (await eureka.CancelAsync("GONE", "gone-1")).Dispose();

        var applications = await eureka.ApplicationsAsync();

        Assert.Equal(["STAYS"], Envelope.Applications(applications).Select(a => (string)a["name"]!));
        Assert.Equal("UP_1_", (string?)applications["apps__hashcode"]);
        using var gone = await eureka.Http.GetAsync("apps/GONE");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task The_delta_lists_each_changed_instance_once_in_its_latest_state_with_its_action()
    {
        await using var peer = await StartAsync();
        using var eureka = EurekaTestClient.For(peer);
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "added"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "modified"));
        (await eureka.OverrideStatusAsync("ORDERS", "modified", "OUT_OF_SERVICE")).Dispose();
        await eureka.RegisterOkAsync(InstanceJson.Create("PAYMENTS", "deleted"));
        (await eureka.CancelAsync("PAYMENTS", "deleted")).Dispose();
        await eureka.RegisterOkAsync(InstanceJson.Create("USERS", "flapping"));
        await eureka.HeartbeatOkAsync("USERS", "flapping", "?status=DOWN");
        await eureka.HeartbeatOkAsync("USERS", "flapping", "?status=STARTING");

        var delta = await eureka.ApplicationsAsync("apps/delta");

        var instances = Envelope.Instances(delta);
        Assert.Equal(["added", "deleted", "flapping", "modified"], instances.Select(i => (string)i["instanceId"]!).Order(StringComparer.Ordinal));
        Assert.Equal("ADDED", (string?)Envelope.Instance(delta, "added")["actionType"]);
        Assert.Equal("UP", (string?)Envelope.Instance(delta, "added")["status"]);
        Assert.Equal("MODIFIED", (string?)Envelope.Instance(delta, "modified")["actionType"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)Envelope.Instance(delta, "modified")["status"]);
        Assert.Equal("DELETED", (string?)Envelope.Instance(delta, "deleted")["actionType"]);
        Assert.Equal("PAYMENTS", (string?)Envelope.Instance(delta, "deleted")["app"]);
        Assert.Equal("MODIFIED", (string?)Envelope.Instance(delta, "flapping")["actionType"]);
        Assert.Equal("STARTING", (string?)Envelope.Instance(delta, "flapping")["status"]);
    }

    [Fact]
    public async Task The_delta_hashcode_is_that_of_the_whole_registry_not_of_the_delta()
    {
        await using var peer = await StartAsync();
        using var eureka = EurekaTestClient.For(peer);
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-2", status: "DOWN"));
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-3"));
        (await eureka.CancelAsync("ORDERS", "orders-3")).Dispose();

        var delta = await eureka.ApplicationsAsync("apps/delta");
        var full = await eureka.ApplicationsAsync();

        Assert.Equal("DOWN_1_UP_1_", (string?)delta["apps__hashcode"]);
        Assert.Equal((string?)full["apps__hashcode"], (string?)delta["apps__hashcode"]);
        Assert.Equal(3, Envelope.Instances(delta).Count);
    }

    [Fact]
    public async Task A_cancelled_and_re_registered_instance_shows_as_added_again()
    {
        await using var peer = await StartAsync();
        using var eureka = EurekaTestClient.For(peer);
        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));
        (await eureka.CancelAsync("ORDERS", "orders-1")).Dispose();
        Assert.Equal("DELETED", (string?)Envelope.Instance(await eureka.ApplicationsAsync("apps/delta"), "orders-1")["actionType"]);

        await eureka.RegisterOkAsync(InstanceJson.Create("ORDERS", "orders-1"));

        var delta = await eureka.ApplicationsAsync("apps/delta");
        Assert.Equal("ADDED", (string?)Envelope.Instance(delta, "orders-1")["actionType"]);
        Assert.Equal("UP_1_", (string?)delta["apps__hashcode"]);
    }

    private static Task<DiscoveryPeer> StartAsync() => DiscoveryPeer.StartAsync(null, "--Discovery:SelfPreservation=false");
}
