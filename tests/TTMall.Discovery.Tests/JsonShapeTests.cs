using System.Text.Json;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>Registrations read leniently (what Java, Steeltoe and eureka-js-client send); every answer written strictly.</summary>
public sealed class JsonShapeTests(DiscoveryServerFixture server) : IClassFixture<DiscoveryServerFixture>
{
    public static TheoryData<string, int, bool> PortForms => new()
    {
        { """{"$":8081,"@enabled":"true"}""", 8081, true },
        { """{"$":"8081","@enabled":"false"}""", 8081, false },
        { """{"$":8081,"@enabled":true}""", 8081, true },
        { """{"$":8081,"@enabled":false}""", 8081, false },
        { """{"$":8081,"@enabled":1}""", 8081, true },
        { """{"$":8081,"@enabled":0}""", 8081, false },
        { """{"$":8081,"@enabled":"1"}""", 8081, true },
        { """{"$":8081,"@enabled":"0"}""", 8081, false },
    };

    [Theory]
    [MemberData(nameof(PortForms))]
    public async Task Port_number_and_enabled_flag_are_read_as_strings_numbers_or_booleans(string portJson, int port, bool enabled)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        instance["port"] = JsonNode.Parse(portJson);
        instance["securePort"] = JsonNode.Parse(portJson);

        await eureka.RegisterOkAsync(instance);

        var stored = await eureka.InstanceAsync(app, id);
        foreach (var name in new[] { "port", "securePort" })
        {
            Assert.Equal(port, (int)stored[name]!["$"]!);
            Assert.Equal(enabled ? "true" : "false", (string?)stored[name]!["@enabled"]);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Timestamps_and_lease_numbers_are_read_as_strings_or_numbers(bool asStrings)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        JsonNode Value(long number) => asStrings ? JsonValue.Create(number.ToString())! : JsonValue.Create(number)!;
        var instance = InstanceJson.Create(app, id);
        instance["lastDirtyTimestamp"] = Value(1_700_000_000_123);
        instance["lastUpdatedTimestamp"] = Value(1_700_000_000_000);
        instance["leaseInfo"] = new JsonObject { ["renewalIntervalInSecs"] = Value(7), ["durationInSecs"] = Value(21) };
        instance["countryId"] = Value(1);

        await eureka.RegisterOkAsync(instance);

        var stored = await eureka.InstanceAsync(app, id);
        Assert.Equal("1700000000123", (string?)stored["lastDirtyTimestamp"]);
        Assert.Equal(7, (int)stored["leaseInfo"]!["renewalIntervalInSecs"]!);
        Assert.Equal(21, (int)stored["leaseInfo"]!["durationInSecs"]!);
        using var newer = await eureka.HeartbeatAsync(app, id, "?lastDirtyTimestamp=1700000000124");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, newer.StatusCode);
    }

    [Theory]
    [InlineData("overriddenstatus")]
    [InlineData("overriddenStatus")]
    public async Task The_override_is_read_in_either_spelling(string field)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        instance.Remove("overriddenStatus");
        instance[field] = "OUT_OF_SERVICE";

        await eureka.RegisterOkAsync(instance);

        var stored = await eureka.InstanceAsync(app, id);
        Assert.Equal("OUT_OF_SERVICE", (string?)stored["overriddenStatus"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)stored["status"]);
        Assert.Null(stored["overriddenstatus"]);
    }

    [Fact]
    public async Task An_instance_as_eureka_js_client_sends_it_gets_hostName_as_id_default_lease_and_a_lastDirtyTimestamp()
    {
        using var eureka = server.Client();
        var (app, host) = (Unique.App(), Unique.Id("host"));
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = new JsonObject
        {
            ["instance"] = new JsonObject
            {
                ["app"] = app,
                ["hostName"] = host,
                ["ipAddr"] = "127.0.0.1",
                ["vipAddress"] = app,
                ["status"] = "UP",
                ["port"] = new JsonObject { ["$"] = 3000, ["@enabled"] = "true" },
                ["dataCenterInfo"] = new JsonObject { ["@class"] = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", ["name"] = "MyOwn" },
            },
        }.ToJsonString();

        using var response = await eureka.PostAsync($"apps/{app}", body);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        var stored = await eureka.InstanceAsync(app, host);
        Assert.Equal(host, (string?)stored["instanceId"]);
        Assert.Equal(30, (int)stored["leaseInfo"]!["renewalIntervalInSecs"]!);
        Assert.Equal(90, (int)stored["leaseInfo"]!["durationInSecs"]!);
        var dirty = long.Parse((string)stored["lastDirtyTimestamp"]!);
        Assert.InRange(dirty, before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
        await eureka.HeartbeatOkAsync(app, host);
    }

    [Fact]
    public async Task Javas_empty_metadata_map_is_read_as_no_metadata()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        Assert.Equal("""{"@class":"java.util.Collections$EmptyMap"}""", instance["metadata"]!.ToJsonString());

        await eureka.RegisterOkAsync(instance);

        Assert.Equal("""{"@class":"java.util.Collections$EmptyMap"}""", (await eureka.InstanceAsync(app, id))["metadata"]!.ToJsonString());
        (await eureka.UpdateMetadataAsync(app, id, "?zone=a")).Dispose();
        var metadata = (await eureka.InstanceAsync(app, id))["metadata"]!.AsObject();
        Assert.Equal(["zone"], metadata.Select(m => m.Key));
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        instance["sid"] = "na";
        instance["appGroupName"] = null;
        instance["future"] = new JsonObject { ["nested"] = new JsonArray(1, "two", true, null) };
        instance["dataCenterInfo"]!["metadata"] = new JsonObject { ["zone"] = "z" };
        instance["leaseInfo"]!["somethingNew"] = 5;

        await eureka.RegisterOkAsync(instance);

        var stored = await eureka.InstanceAsync(app, id);
        Assert.Equal(id, (string?)stored["instanceId"]);
        Assert.Null(stored["future"]);
    }

    [Fact]
    public async Task Every_read_writes_ports_timestamps_and_flags_in_the_types_java_expects()
    {
        using var eureka = server.Client();
        var (app, id, host) = (Unique.App(), Unique.Id(), Unique.Id("host"));
        var vip = app.ToLowerInvariant();
        var lenient = InstanceJson.Create(app, id, vip: vip, secureVip: vip);
        lenient["port"] = JsonNode.Parse("""{"$":"8080","@enabled":true}""");
        lenient["isCoordinatingDiscoveryServer"] = false;
        lenient["lastDirtyTimestamp"] = 1_700_000_000_000;
        lenient["leaseInfo"] = new JsonObject { ["renewalIntervalInSecs"] = "30", ["durationInSecs"] = "90" };
        await eureka.RegisterOkAsync(lenient);
        var withoutId = InstanceJson.Create(app, "ignored", vip: vip, secureVip: vip);
        withoutId.Remove("instanceId");
        withoutId["hostName"] = host;
        await eureka.RegisterOkAsync(withoutId);

        var reads = new List<JsonObject>
        {
            await eureka.InstanceAsync(app, id),
            (await eureka.GetJsonAsync($"instances/{id}"))["instance"]!.AsObject(),
        };
        reads.AddRange((await eureka.GetJsonAsync($"apps/{app}"))["application"]!["instance"]!.AsArray().Select(i => i!.AsObject()));
        foreach (var path in new[] { "apps", "apps/delta", $"vips/{vip}", $"svips/{vip}" })
        {
            reads.AddRange(Envelope.Instances(await eureka.ApplicationsAsync(path)).Where(i => (string?)i["app"] == app));
        }

        Assert.Equal(12, reads.Count);
        Assert.Contains(reads, i => (string?)i["instanceId"] == host);
        Assert.All(reads, AssertStrictInstance);
    }

    [Fact]
    public async Task The_envelope_writes_versions_and_hashcode_as_strings_and_application_and_instance_as_arrays()
    {
        using var eureka = server.Client();
        var app = Unique.App();
        await eureka.RegisterOkAsync(InstanceJson.Create(app, Unique.Id()));

        foreach (var path in new[] { "apps", "apps/delta" })
        {
            var applications = await eureka.ApplicationsAsync(path);
            Assert.Equal(JsonValueKind.String, applications["versions__delta"]!.GetValueKind());
            Assert.Equal(JsonValueKind.String, applications["apps__hashcode"]!.GetValueKind());
            Assert.Equal(JsonValueKind.Array, applications["application"]!.GetValueKind());
            Assert.All(Envelope.Applications(applications), a => Assert.Equal(JsonValueKind.Array, a["instance"]!.GetValueKind()));
        }

        Assert.Equal(JsonValueKind.Array, (await eureka.GetJsonAsync($"apps/{app}"))["application"]!["instance"]!.GetValueKind());
    }

    private static void AssertStrictInstance(JsonObject i)
    {
        Assert.False(string.IsNullOrEmpty((string?)i["instanceId"]), i.ToJsonString());
        foreach (var port in new[] { "port", "securePort" })
        {
            Assert.Equal(JsonValueKind.Number, i[port]!["$"]!.GetValueKind());
            Assert.Equal(JsonValueKind.String, i[port]!["@enabled"]!.GetValueKind());
            Assert.Contains((string?)i[port]!["@enabled"], new[] { "true", "false" });
        }

        Assert.Equal("true", (string?)i["port"]!["@enabled"]);
        Assert.Equal(8080, (int)i["port"]!["$"]!);
        foreach (var field in new[] { "lastDirtyTimestamp", "lastUpdatedTimestamp", "isCoordinatingDiscoveryServer", "status", "overriddenStatus", "app", "hostName", "ipAddr", "vipAddress" })
        {
            Assert.True(i[field]?.GetValueKind() == JsonValueKind.String, $"{field} in {i.ToJsonString()}");
        }

        Assert.True(long.TryParse((string?)i["lastDirtyTimestamp"], out var dirty) && dirty > 0);
        Assert.True(long.TryParse((string?)i["lastUpdatedTimestamp"], out var updated) && updated > 0);
        Assert.Equal("false", (string?)i["isCoordinatingDiscoveryServer"]);
        foreach (var field in new[] { "renewalIntervalInSecs", "durationInSecs", "registrationTimestamp", "lastRenewalTimestamp", "evictionTimestamp", "serviceUpTimestamp" })
        {
            Assert.Equal(JsonValueKind.Number, i["leaseInfo"]![field]!.GetValueKind());
        }

        Assert.Equal(JsonValueKind.Number, i["countryId"]!.GetValueKind());
        Assert.Equal("MyOwn", (string?)i["dataCenterInfo"]!["name"]);
        Assert.Equal(JsonValueKind.Object, i["metadata"]!.GetValueKind());
    }
}
