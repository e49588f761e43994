using System.Net;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>On register and renew: the instance's own DOWN/STARTING/UNKNOWN wins; else an override; else its own status.</summary>
public sealed class StatusRuleTests(DiscoveryServerFixture server) : IClassFixture<DiscoveryServerFixture>
{
    [Theory]
    [InlineData("UP", "UP")]
    [InlineData("DOWN", "DOWN")]
    [InlineData("STARTING", "STARTING")]
    [InlineData("OUT_OF_SERVICE", "OUT_OF_SERVICE")]
    [InlineData("UNKNOWN", "UNKNOWN")]
    public async Task Without_an_override_the_registered_status_is_the_instances_own(string registered, string expected)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());

        await eureka.RegisterOkAsync(InstanceJson.Create(app, id, status: registered));

        var instance = await eureka.InstanceAsync(app, id);
        Assert.Equal(expected, (string?)instance["status"]);
        Assert.Equal("UNKNOWN", (string?)instance["overriddenStatus"]);
    }

    [Theory]
    [InlineData("UP", "OUT_OF_SERVICE")]
    [InlineData("DOWN", "DOWN")]
    [InlineData("STARTING", "STARTING")]
    [InlineData("UNKNOWN", "UNKNOWN")]
    public async Task Registering_again_under_an_override_keeps_the_override_unless_the_instance_is_down_starting_or_unknown(string registered, string expected)
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterWithOverrideAsync(eureka, "OUT_OF_SERVICE");

        await eureka.RegisterOkAsync(InstanceJson.Create(app, id, status: registered));

        var instance = await eureka.InstanceAsync(app, id);
        Assert.Equal(expected, (string?)instance["status"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)instance["overriddenStatus"]);
    }

    [Theory]
    [InlineData("UP", "OUT_OF_SERVICE")]
    [InlineData("DOWN", "DOWN")]
    [InlineData("STARTING", "STARTING")]
    [InlineData("UNKNOWN", "UNKNOWN")]
    public async Task A_heartbeat_under_an_override_keeps_the_override_unless_the_instance_is_down_starting_or_unknown(string reported, string expected)
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterWithOverrideAsync(eureka, "OUT_OF_SERVICE");

        await eureka.HeartbeatOkAsync(app, id, $"?status={reported}");

        var instance = await eureka.InstanceAsync(app, id);
        Assert.Equal(expected, (string?)instance["status"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)instance["overriddenStatus"]);
    }

    [Fact]
    public async Task An_up_override_wins_over_an_instance_reporting_out_of_service()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id, status: "OUT_OF_SERVICE"));

        (await eureka.OverrideStatusAsync(app, id, "UP")).Dispose();

        Assert.Equal("UP", (string?)(await eureka.InstanceAsync(app, id))["status"]);
    }

    [Fact]
    public async Task Without_an_override_a_heartbeat_status_becomes_the_status()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        await eureka.HeartbeatOkAsync(app, id, "?status=DOWN");
        Assert.Equal("DOWN", (string?)(await eureka.InstanceAsync(app, id))["status"]);

        await eureka.HeartbeatOkAsync(app, id, "?status=UP");
        Assert.Equal("UP", (string?)(await eureka.InstanceAsync(app, id))["status"]);
    }

    [Fact]
    public async Task Once_the_override_is_gone_the_last_reported_status_applies_again()
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterWithOverrideAsync(eureka, "OUT_OF_SERVICE");
        await eureka.HeartbeatOkAsync(app, id, "?status=UP");
        Assert.Equal("OUT_OF_SERVICE", (string?)(await eureka.InstanceAsync(app, id))["status"]);

        (await eureka.DeleteOverrideAsync(app, id)).Dispose();

        Assert.Equal("UP", (string?)(await eureka.InstanceAsync(app, id))["status"]);
    }

    [Fact]
    public async Task Deleting_the_override_with_a_value_sets_that_status()
    {
        using var eureka = server.Client();
        var (app, id) = await RegisterWithOverrideAsync(eureka, "OUT_OF_SERVICE");

        using var response = await eureka.DeleteOverrideAsync(app, id, "?value=DOWN");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var instance = await eureka.InstanceAsync(app, id);
        Assert.Equal("DOWN", (string?)instance["status"]);
        Assert.Equal("UNKNOWN", (string?)instance["overriddenStatus"]);
    }

    [Theory]
    [InlineData("?status=&lastDirtyTimestamp=&overriddenstatus=")]
    [InlineData("?status=SLEEPING")]
    [InlineData("?status=42")]
    [InlineData("")]
    public async Task A_heartbeat_without_a_valid_status_keeps_the_instances_status(string query)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id, status: "STARTING"));

        await eureka.HeartbeatOkAsync(app, id, query);

        var instance = await eureka.InstanceAsync(app, id);
        Assert.Equal("STARTING", (string?)instance["status"]);
        Assert.Equal("UNKNOWN", (string?)instance["overriddenStatus"]);
    }

    [Theory]
    [InlineData("overriddenstatus")]
    [InlineData("overriddenStatus")]
    public async Task A_heartbeat_can_carry_the_override_as_peers_send_it(string parameter)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        await eureka.HeartbeatOkAsync(app, id, $"?status=UP&{parameter}=OUT_OF_SERVICE");

        var instance = await eureka.InstanceAsync(app, id);
        Assert.Equal("OUT_OF_SERVICE", (string?)instance["status"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)instance["overriddenStatus"]);
    }

    private static async Task<(string App, string Id)> RegisterWithOverrideAsync(EurekaTestClient eureka, string value)
    {
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));
        using var response = await eureka.OverrideStatusAsync(app, id, value);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (app, id);
    }
}
