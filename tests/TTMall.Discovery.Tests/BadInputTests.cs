using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>Malformed writes are refused with 400 and a short text reason, never a 500, and leave nothing behind.</summary>
public sealed class BadInputTests(DiscoveryServerFixture server) : IClassFixture<DiscoveryServerFixture>
{
    public static TheoryData<string, string> MissingFields => new()
    {
        { "instanceId+hostName", "instanceId" },
        { "hostName", "hostname" },
        { "ipAddr", "ip address" },
        { "app", "appName" },
        { "dataCenterInfo.name", "dataCenterInfo" },
        { "dataCenterInfo", "dataCenterInfo" },
    };

    [Theory]
    [MemberData(nameof(MissingFields))]
    public async Task A_registration_missing_a_required_field_is_400_with_a_reason(string missing, string reasonMentions)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        foreach (var field in missing.Split('+'))
        {
            if (field.Split('.') is [var parent, var child])
            {
                instance[parent]!.AsObject().Remove(child);
            }
            else
            {
                instance.Remove(field);
            }
        }

        using var response = await eureka.RegisterAsync(instance, pathApp: app);

        await AssertRefusedAsync(response, reasonMentions);
        await AssertNothingRegisteredAsync(eureka, app);
    }

    [Theory]
    [InlineData("hostName", "hostname")]
    [InlineData("ipAddr", "ip address")]
    [InlineData("app", "appName")]
    public async Task A_registration_with_a_blank_required_field_is_400(string field, string reasonMentions)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        instance[field] = " ";

        using var response = await eureka.RegisterAsync(instance, pathApp: app);

        await AssertRefusedAsync(response, reasonMentions);
        await AssertNothingRegisteredAsync(eureka, app);
    }

    [Fact]
    public async Task A_registration_whose_app_differs_from_the_path_is_400()
    {
        using var eureka = server.Client();
        var (app, other) = (Unique.App(), Unique.App());

        using var response = await eureka.RegisterAsync(InstanceJson.Create(other, Unique.Id()), pathApp: app);

        await AssertRefusedAsync(response, other);
        await AssertNothingRegisteredAsync(eureka, app);
        await AssertNothingRegisteredAsync(eureka, other);
    }

    public static TheoryData<string> MalformedBodies => new()
    {
        "",
        "{",
        "not json",
        """{"instance":{"instanceId":"x",}""",
        "[]",
        "null",
        "42",
        "\"instance\"",
        """{"instance":[]}""",
        """{"instance":null}""",
        """{"instance":"text"}""",
        new string('[', 10_000) + new string(']', 10_000),
        string.Concat(Enumerable.Repeat("""{"a":""", 5_000)) + "1" + new string('}', 5_000),
        """{"instance":""" + string.Concat(Enumerable.Repeat("""{"metadata":""", 200)) + "{}" + new string('}', 201),
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_body_that_is_no_instance_is_400_with_a_text_reason(string body)
    {
        using var eureka = server.Client();
        var app = Unique.App();

        using var response = await eureka.PostAsync($"apps/{app}", body);

        await AssertRefusedAsync(response, reasonMentions: null);
        await AssertNothingRegisteredAsync(eureka, app);
    }

    [Fact]
    public async Task Invalid_utf8_is_400()
    {
        using var eureka = server.Client();
        var app = Unique.App();
        var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes("""{"instance":{"hostName":"""), 0x22, 0xC3, 0x28, 0x22, 0x7D, 0x7D]);
        content.Headers.ContentType = new("application/json");

        using var response = await eureka.SendAsync(HttpMethod.Post, $"apps/{app}", content: content);

        await AssertRefusedAsync(response, reasonMentions: null);
    }

    [Fact]
    public async Task Values_of_the_wrong_type_are_read_leniently_or_refused_but_never_fail_the_server()
    {
        using var eureka = server.Client();
        var app = Unique.App();
        var instance = InstanceJson.Create(app, Unique.Id());
        instance["port"] = new JsonObject { ["$"] = new JsonArray(1), ["@enabled"] = new JsonObject() };
        instance["securePort"] = "not a port";
        instance["leaseInfo"] = new JsonObject { ["durationInSecs"] = 99_999_999_999_999, ["renewalIntervalInSecs"] = -5 };
        instance["metadata"] = new JsonObject { ["nested"] = new JsonObject { ["deep"] = 1 }, ["list"] = new JsonArray(1, 2) };
        instance["status"] = 17;
        instance["countryId"] = "x";
        instance["lastDirtyTimestamp"] = "yesterday";
        instance["dataCenterInfo"]!["@class"] = new JsonArray();

        using var response = await eureka.RegisterAsync(instance);

        Assert.True((int)response.StatusCode is 204 or 400, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.NotNull(await eureka.ApplicationsAsync());
    }

    [Fact]
    public async Task An_xml_registration_is_refused_with_a_reason()
    {
        using var eureka = server.Client();
        var app = Unique.App();

        using var response = await eureka.PostAsync($"apps/{app}", $"<instance><app>{app}</app></instance>", contentType: "application/xml");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("JSON", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"replicationList":[1]}""")]
    [InlineData("""{"replicationList":[{"action":"Fly","appName":"A","id":"x"}]}""")]
    [InlineData("""{"replicationList":[{"action":"Register","id":"x"}]}""")]
    [InlineData("""{"replicationList":"nope"}""")]
    [InlineData("""{"other":[]}""")]
    [InlineData("[]")]
    [InlineData("{")]
    public async Task A_malformed_peer_batch_is_400(string body)
    {
        using var eureka = server.Client();

        using var response = await eureka.PostAsync("peerreplication/batch/", body, replication: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_peer_batch_registering_an_invalid_instance_registers_nothing()
    {
        using var eureka = server.Client();
        var app = Unique.App();
        var instance = InstanceJson.Create(app, "");
        instance.Remove("hostName");
        instance.Remove("instanceId");
        var body = new JsonObject
        {
            ["replicationList"] = new JsonArray(new JsonObject
            {
                ["appName"] = app, ["id"] = "", ["action"] = "Register", ["instanceInfo"] = instance,
            }),
        }.ToJsonString();

        using var response = await eureka.PostAsync("peerreplication/batch/", body, replication: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["responseList"]![0]!;
        Assert.Equal(400, (int)result["statusCode"]!);
        await AssertNothingRegisteredAsync(eureka, app);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string? reasonMentions)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.InRange(body.Trim().Length, 1, 500);
        if (reasonMentions is not null)
        {
            Assert.Contains(reasonMentions, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task AssertNothingRegisteredAsync(EurekaTestClient eureka, string app)
    {
        using var response = await eureka.Http.GetAsync($"apps/{app}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(Envelope.Applications(await eureka.ApplicationsAsync()), a => (string?)a["name"] == app);
    }
}
