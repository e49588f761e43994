using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>
/// Registry data is untrusted: every write that would give readers an instance they cannot use, or one nobody could
/// remove or take back, is a 400 that changes nothing. Each case here once stopped every service of the mall or left an
/// entry behind for good.
/// </summary>
public sealed class UntrustedInputTests(DiscoveryServerFixture server) : IClassFixture<DiscoveryServerFixture>
{
    public static TheoryData<string, string> BadFields => new()
    {
        { "port", """{"$":70000,"@enabled":"true"}""" },
        { "port", """{"$":-2,"@enabled":"true"}""" },
        { "port", """{"$":0,"@enabled":"true"}""" },
        { "securePort", """{"$":65536,"@enabled":"false"}""" },
        { "hostName", "\"bad host\"" },
        { "hostName", "\"host:80\"" },
        { "hostName", "\"a..b\"" },
        { "hostName", $"\"{new string('a', 300)}\"" },
        { "hostName", "\"%41\"" },
        { "hostName", "\"a/b\"" },
        { "hostName", "\"-a.example\"" },
        { "ipAddr", "\"1\"" },
        { "ipAddr", "\"999.1.1.1\"" },
        { "instanceId", "\"a/b\"" },
        { "instanceId", "\"a b\"" },
        { "instanceId", "\"a%2Fb\"" },
        { "instanceId", $"\"{new string('i', 129)}\"" },
        { "vipAddress", "\"web,<b>\"" },
        { "healthCheckUrl", "\"file:///etc/passwd\"" },
        { "healthCheckUrl", "\"http://bad host/health\"" },
        { "homePageUrl", $"\"http://localhost/{new string('x', 600)}\"" },
        { "dataCenterInfo", """{"@class":"x","name":"My\u0000Own"}""" },
        { "metadata", """{"zone":"a\u0000b"}""" },
        { "metadata", """{"":"empty key"}""" },
        { "metadata", $"{{\"big\":\"{new string('<', 3_000)}\"}}" },
        { "metadata", "{" + string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"k{i}\":\"v\"")) + "}" },
        { "lastDirtyTimestamp", "\"9223372036854775807\"" },
        { "lastDirtyTimestamp", $"\"{DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds()}\"" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task A_registration_readers_could_not_use_is_400_with_a_reason_and_changes_nothing(string field, string json)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        instance[field] = JsonNode.Parse(json);
        var registered = (string?)instance["instanceId"] ?? id;

        using var response = await eureka.RegisterAsync(instance, pathApp: app);

        var reason = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}={json[..Math.Min(60, json.Length)]}: {(int)response.StatusCode} {reason}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain('\0', reason);
        using var app404 = await eureka.Http.GetAsync($"apps/{app}");
        Assert.Equal(HttpStatusCode.NotFound, app404.StatusCode);
        Assert.False(await eureka.ListsAsync(registered));
    }

    [Fact]
    public async Task A_lone_surrogate_in_any_string_is_400()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        instance["metadata"] = new JsonObject { ["zone"] = "SURROGATE" };
        var body = InstanceJson.Document(instance).Replace("SURROGATE", "\\ud800", StringComparison.Ordinal);

        using var response = await eureka.PostAsync($"apps/{app}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await eureka.ListsAsync(id));
    }

    [Fact]
    public async Task The_largest_accepted_instance_is_read_back_the_same_whatever_its_characters()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        // Characters a default JSON encoder escapes into six bytes each: the bytes counted must be the bytes stored and sent.
        var metadata = new JsonObject { ["angles"] = new string('<', 1_000), ["quotes"] = new string('"', 500), ["han"] = "猫" };
        instance["metadata"] = metadata;

        await eureka.RegisterOkAsync(instance);

        var stored = await eureka.InstanceAsync(app, id);
        Assert.Equal(new string('<', 1_000), (string?)stored["metadata"]!["angles"]);
        Assert.Equal(new string('"', 500), (string?)stored["metadata"]!["quotes"]);
        Assert.Equal("猫", (string?)stored["metadata"]!["han"]);
    }

    [Fact]
    public async Task A_lease_of_68_years_is_clamped_to_ten_minutes()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());

        await eureka.RegisterOkAsync(InstanceJson.Create(app, id, renewalIntervalInSecs: int.MaxValue, durationInSecs: int.MaxValue));

        var lease = (await eureka.InstanceAsync(app, id))["leaseInfo"]!;
        Assert.Equal(600, (int)lease["durationInSecs"]!);
        Assert.Equal(120, (int)lease["renewalIntervalInSecs"]!);
    }

    [Fact]
    public async Task A_heartbeat_or_status_change_from_the_future_is_400_and_the_owner_keeps_its_instance()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));
        var dirty = (string?)(await eureka.InstanceAsync(app, id))["lastDirtyTimestamp"];
        var future = long.MaxValue.ToString(CultureInfo.InvariantCulture);

        using var heartbeat = await eureka.HeartbeatAsync(app, id, $"?status=UP&lastDirtyTimestamp={future}");
        using var replicated = await eureka.HeartbeatAsync(app, id, $"?status=DOWN&lastDirtyTimestamp={future}", replication: true);

        Assert.Equal(HttpStatusCode.BadRequest, heartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replicated.StatusCode);
        var stored = await eureka.InstanceAsync(app, id);
        Assert.Equal(dirty, (string?)stored["lastDirtyTimestamp"]);
        Assert.Equal("UP", (string?)stored["status"]);
        // The owner's own re-registration still wins over what is stored.
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id, status: "DOWN", lastDirtyTimestamp: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1));
        Assert.Equal("DOWN", (string?)(await eureka.InstanceAsync(app, id))["status"]);
    }

    [Fact]
    public async Task Metadata_writes_beyond_the_bounds_are_400_and_change_nothing()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));
        using var fits = await eureka.UpdateMetadataAsync(app, id, $"?a={new string('x', 1_000)}");

        using var tooBig = await eureka.UpdateMetadataAsync(app, id, $"?b={new string('y', 1_500)}");
        using var tooMany = await eureka.UpdateMetadataAsync(app, id, "?" + string.Join("&", Enumerable.Range(0, 40).Select(i => $"k{i}=v")));
        using var nul = await eureka.UpdateMetadataAsync(app, id, "?c=%00");

        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        var metadata = (await eureka.InstanceAsync(app, id))["metadata"]!.AsObject();
        Assert.Equal(["a"], metadata.Select(m => m.Key).Where(k => k != "@class"));
    }

    [Fact]
    public async Task Three_hundred_metadata_writes_of_7_KB_are_refused_and_the_server_serves_on()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 300; i++)
        {
            using var response = await eureka.UpdateMetadataAsync(app, id, $"?m{i}={new string('x', 7_000)}");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        var full = await eureka.Http.GetByteArrayAsync("apps");
        Assert.True(full.Length < 64 * 1024, $"{full.Length} bytes");
        await eureka.HeartbeatOkAsync(app, id);
    }

    [Fact]
    public async Task A_removed_instance_stays_in_the_delta_without_its_metadata()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        instance["metadata"] = new JsonObject { ["payload"] = new string('m', 1_500) };
        await eureka.RegisterOkAsync(instance);

        (await eureka.CancelAsync(app, id)).Dispose();

        var removed = Envelope.Instance(await eureka.ApplicationsAsync("apps/delta"), id);
        Assert.Equal("DELETED", (string?)removed["actionType"]);
        Assert.Null(removed["metadata"]!["payload"]);
    }

    [Fact]
    public async Task Replication_batches_need_the_replication_header_and_parse_actions_strictly()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var register = new JsonObject
        {
            ["replicationList"] = new JsonArray(new JsonObject
            {
                ["appName"] = app, ["id"] = id, ["action"] = "Register", ["instanceInfo"] = InstanceJson.Create(app, id),
            }),
        }.ToJsonString();

        using var anonymous = await eureka.PostAsync("peerreplication/batch", register);
        using (var application = eureka.As(TestDiscovery.App(app)))
        using (var peer = eureka.As(TestDiscovery.Peer))
        {
            using var asApp = await application.PostAsync("peerreplication/batch", register, replication: true);
            using var peerWithoutHeader = await peer.PostAsync("peerreplication/batch", register);
            Assert.Equal(HttpStatusCode.Forbidden, asApp.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, peerWithoutHeader.StatusCode);
        }

        using var combined = await eureka.PostAsync("peerreplication/batch",
            $$"""{"replicationList":[{"appName":"{{app}}","id":"{{id}}","action":"Register, Cancel"}]}""", replication: true);
        using var numeric = await eureka.PostAsync("peerreplication/batch",
            $$"""{"replicationList":[{"appName":"{{app}}","id":"{{id}}","action":"1"}]}""", replication: true);
        using var badId = await eureka.PostAsync("peerreplication/batch",
            $$"""{"replicationList":[{"appName":"{{app}}","id":"a/b","action":"Cancel"},{"appName":"{{app}}","id":"x","action":"Heartbeat","lastDirtyTimestamp":{{long.MaxValue}}}]}""",
            replication: true);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, combined.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, numeric.StatusCode);
        Assert.Equal(HttpStatusCode.OK, badId.StatusCode);
        var results = JsonNode.Parse(await badId.Content.ReadAsStringAsync())!["responseList"]!.AsArray();
        Assert.Equal([400, 400], results.Select(r => (int)r!["statusCode"]!));
        Assert.False(await eureka.ListsAsync(id));
    }

    [Fact]
    public async Task Three_hundred_replicated_registrations_in_one_batch_are_taken_at_the_peers_rate_only()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:RegistrationsPerSecond=50");
        using var eureka = EurekaTestClient.For(peer);
        var items = new JsonArray([.. Enumerable.Range(0, 300).Select(i => (JsonNode)new JsonObject
        {
            ["appName"] = "FAKE", ["id"] = $"fake-{i}", ["action"] = "Register", ["instanceInfo"] = InstanceJson.Create("FAKE", $"fake-{i}"),
        })]);

        var batch = Stopwatch.StartNew();
        using var response = await eureka.PostAsync("peerreplication/batch", new JsonObject { ["replicationList"] = items }.ToJsonString(), replication: true);
        var lasted = batch.Elapsed;

        var codes = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["responseList"]!.AsArray().Select(r => (int)r!["statusCode"]!).ToList();
        Assert.Equal(300, codes.Count);
        Assert.InRange(codes.Count(c => c == 200), 50, RateBudget.MostTokens(50, lasted));
        Assert.Equal(300, codes.Count(c => c is 200 or 429));
        Assert.Equal(codes.Count(c => c == 200), Envelope.Instances(await eureka.ApplicationsAsync()).Count);
    }

    [Fact]
    public async Task A_flood_of_fat_registrations_is_refused_before_the_documents_grow()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:RegistrationsPerSecond=10000");
        using var eureka = EurekaTestClient.For(peer);
        var statuses = new Dictionary<HttpStatusCode, int>();

        // The reproduction: 100 registrations with 2,000 metadata entries of 90 bytes; then as many of the largest
        // accepted kind as the registry takes.
        for (var i = 0; i < 100; i++)
        {
            var fat = InstanceJson.Create("FAT", $"fat-{i}");
            fat["metadata"] = new JsonObject([.. Enumerable.Range(0, 2_000).Select(k => KeyValuePair.Create($"k{k}", (JsonNode?)new string('m', 90)))]);
            using var response = await eureka.RegisterAsync(fat);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
        }

        for (var i = 0; i < 400; i++)
        {
            var large = InstanceJson.Create($"LARGE{i % 8}", $"large-{i}");
            large["metadata"] = new JsonObject { ["pad"] = new string('p', 2_000) };
            using var response = await eureka.RegisterAsync(large);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
        }

        var full = await eureka.Http.GetByteArrayAsync("apps");
        var delta = await eureka.Http.GetByteArrayAsync("apps/delta");
        Assert.Equal(100, statuses.GetValueOrDefault(HttpStatusCode.BadRequest));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.InsufficientStorage) > 0, string.Join(", ", statuses));
        Assert.InRange(full.Length, 200_000, 256 * 1024 + 4_096);
        Assert.True(delta.Length <= 256 * 1024 + 4_096, $"delta {delta.Length} bytes");
    }

    [Fact]
    public async Task The_delta_journal_stays_bounded_when_instances_come_and_go_in_a_flood()
    {
        await using var peer = await DiscoveryPeer.StartAsync(null, "--Discovery:RegistrationsPerSecond=10000");
        using var eureka = EurekaTestClient.For(peer);

        for (var i = 0; i < 600; i++)
        {
            var churn = InstanceJson.Create("CHURN", $"churn-{i}");
            churn["metadata"] = new JsonObject { ["pad"] = new string('p', 2_000) };
            await eureka.RegisterOkAsync(churn);
            (await eureka.CancelAsync("CHURN", $"churn-{i}")).Dispose();
        }

        await eureka.RegisterOkAsync(InstanceJson.Create("LAST", "last-1"));
        var delta = await eureka.Http.GetByteArrayAsync("apps/delta");
        Assert.True(delta.Length <= 256 * 1024 + 4_096, $"delta {delta.Length} bytes");
        Assert.Contains("last-1", Encoding.UTF8.GetString(delta));
    }
}
