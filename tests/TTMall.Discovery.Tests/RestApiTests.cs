using System.Net;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>Every operation of EUREKA.md's table, under /eureka and /eureka/v2, answered as Eureka answers it.</summary>
public sealed class RestApiTests(DiscoveryServerFixture server) : IClassFixture<DiscoveryServerFixture>
{
    public static TheoryData<string> Prefixes => new() { "eureka/", "eureka/v2/" };

    public static TheoryData<string, string> PrefixesAndAppsPaths => new()
    {
        { "eureka/", "apps" },
        { "eureka/", "apps/" },
        { "eureka/v2/", "apps" },
        { "eureka/v2/", "apps/" },
    };

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Register_answers_204_with_no_body_and_the_instance_is_readable_at_once(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());

        using var response = await eureka.RegisterAsync(InstanceJson.Create(app, id));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(id, (string?)(await eureka.InstanceAsync(app, id))["instanceId"]);
        Assert.True(await eureka.ListsAsync(id));
    }

    [Theory]
    [MemberData(nameof(PrefixesAndAppsPaths))]
    public async Task Full_registry_is_served_at_apps_with_and_without_a_trailing_slash(string prefix, string appsPath)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        var applications = await eureka.ApplicationsAsync(appsPath);

        Assert.Equal(app, (string?)Envelope.Instance(applications, id)["app"]);
        Assert.Contains(Envelope.Applications(applications), a => (string?)a["name"] == app);
    }

    [Theory]
    [MemberData(nameof(PrefixesAndAppsPaths))]
    public async Task Register_and_delta_accept_a_trailing_slash_too(string prefix, string appsPath)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());

        var slash = appsPath.EndsWith('/') ? "/" : "";

        using var response = await eureka.PostAsync($"apps/{app}{slash}", InstanceJson.Document(InstanceJson.Create(app, id)));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var delta = await eureka.ApplicationsAsync($"apps/delta{slash}");
        Assert.Equal("ADDED", (string?)Envelope.Instance(delta, id)["actionType"]);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Cancel_answers_200_with_no_body_and_removes_the_instance(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        using var response = await eureka.CancelAsync(app, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(await eureka.InstanceOrNullAsync(app, id));
        Assert.False(await eureka.ListsAsync(id));
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Cancel_of_an_unknown_instance_is_404_with_no_body(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        using var unknownId = await eureka.CancelAsync(app, Unique.Id());
        using var unknownApp = await eureka.CancelAsync(Unique.App(), id);
        Assert.NotNull(await eureka.InstanceOrNullAsync(app, id));
        using (var first = await eureka.CancelAsync(app, id))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var twice = await eureka.CancelAsync(app, id);

        foreach (var response in new[] { unknownId, unknownApp, twice })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Heartbeat_of_a_registered_instance_answers_200_with_an_empty_body(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));
        var before = (long)(await eureka.InstanceAsync(app, id))["leaseInfo"]!["lastRenewalTimestamp"]!;
        await Task.Delay(20);

        using var response = await eureka.HeartbeatAsync(app, id, "?status=UP");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.True((long)(await eureka.InstanceAsync(app, id))["leaseInfo"]!["lastRenewalTimestamp"]! > before, "the lease was renewed");
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Heartbeat_of_an_unknown_instance_is_404_with_no_body(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        using var unknownId = await eureka.HeartbeatAsync(app, Unique.Id());
        using var unknownApp = await eureka.HeartbeatAsync(Unique.App(), id);
        using var withQuery = await eureka.HeartbeatAsync(app, Unique.Id(), "?status=UP&lastDirtyTimestamp=1");

        foreach (var response in new[] { unknownId, unknownApp, withQuery })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Null(response.Content.Headers.ContentType);
        }
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task One_application_one_instance_and_instance_by_id_are_200_when_known_and_404_when_not(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id, other) = (Unique.App(), Unique.Id(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));
        await eureka.RegisterOkAsync(InstanceJson.Create(app, other));

        var application = (await eureka.GetJsonAsync($"apps/{app}"))["application"]!.AsObject();
        Assert.Equal(app, (string?)application["name"]);
        Assert.Equal([id, other], application["instance"]!.AsArray().Select(i => (string)i!["instanceId"]!).Order());
        Assert.Equal(id, (string?)(await eureka.GetJsonAsync($"apps/{app}/{id}"))["instance"]!["instanceId"]);
        Assert.Equal(id, (string?)(await eureka.GetJsonAsync($"instances/{id}"))["instance"]!["instanceId"]);

        foreach (var path in new[] { $"apps/{Unique.App()}", $"apps/{app}/{Unique.Id()}", $"apps/{Unique.App()}/{id}", $"instances/{Unique.Id()}" })
        {
            using var response = await eureka.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {path}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Vip_lookup_matches_any_address_in_the_list_case_insensitively(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id, vip) = (Unique.App(), Unique.Id(), Unique.Id("vip"));
        // As a peer: an application may name only itself as its VIP address (AuthenticationTests), a peer copies any.
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id, vip: $"{vip}, {vip}-v2", secureVip: $"{vip}-secure"), replication: true);
        await eureka.RegisterOkAsync(InstanceJson.Create(Unique.App(), Unique.Id(), vip: $"{vip}-other"), replication: true);

        foreach (var path in new[] { $"vips/{vip}", $"vips/{vip.ToUpperInvariant()}", $"vips/{vip}-V2", $"svips/{vip}-secure", $"svips/{vip.ToUpperInvariant()}-SECURE" })
        {
            var applications = await eureka.ApplicationsAsync(path);
            var found = Envelope.Instances(applications);
            Assert.True(found.Count == 1, $"GET {path}: {applications.ToJsonString()}");
            Assert.Equal(id, (string?)found[0]["instanceId"]);
            Assert.Equal("UP_1_", (string?)applications["apps__hashcode"]);
        }
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Vip_lookup_of_an_unknown_address_is_an_empty_application_list(string prefix)
    {
        using var eureka = server.Client(prefix);
        var vip = Unique.Id("vip");
        await eureka.RegisterOkAsync(InstanceJson.Create(Unique.App(), Unique.Id(), vip: vip, secureVip: $"{vip}-secure"), replication: true);

        foreach (var path in new[] { $"vips/{Unique.Id("vip")}", $"svips/{Unique.Id("vip")}", $"svips/{vip}", $"vips/{vip}-secure" })
        {
            var applications = await eureka.ApplicationsAsync(path);
            Assert.Empty(applications["application"]!.AsArray());
            Assert.Equal("", (string?)applications["apps__hashcode"]);
        }
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Status_override_changes_the_effective_status_and_deleting_it_restores_the_instances_own(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        using (var put = await eureka.OverrideStatusAsync(app, id, "OUT_OF_SERVICE"))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Empty(await put.Content.ReadAsByteArrayAsync());
        }

        var overridden = await eureka.InstanceAsync(app, id);
        Assert.Equal("OUT_OF_SERVICE", (string?)overridden["status"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)overridden["overriddenStatus"]);
        Assert.Equal("OUT_OF_SERVICE", (string?)Envelope.Instance(await eureka.ApplicationsAsync(), id)["status"]);

        using (var delete = await eureka.DeleteOverrideAsync(app, id))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
            Assert.Empty(await delete.Content.ReadAsByteArrayAsync());
        }

        var restored = await eureka.InstanceAsync(app, id);
        Assert.Equal("UP", (string?)restored["status"]);
        Assert.Equal("UNKNOWN", (string?)restored["overriddenStatus"]);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Status_override_and_its_removal_are_404_with_no_body_for_an_unknown_instance(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        using var put = await eureka.OverrideStatusAsync(app, Unique.Id(), "OUT_OF_SERVICE");
        using var putOtherApp = await eureka.OverrideStatusAsync(Unique.App(), id, "OUT_OF_SERVICE");
        using var delete = await eureka.DeleteOverrideAsync(app, Unique.Id());

        foreach (var response in new[] { put, putOtherApp, delete })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal("UP", (string?)(await eureka.InstanceAsync(app, id))["status"]);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Status_override_with_a_value_that_is_no_status_is_refused(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        using var response = await eureka.OverrideStatusAsync(app, id, "SLEEPING");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("UP", (string?)(await eureka.InstanceAsync(app, id))["status"]);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Cancel_removes_the_status_override(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));
        (await eureka.OverrideStatusAsync(app, id, "OUT_OF_SERVICE")).Dispose();
        (await eureka.CancelAsync(app, id)).Dispose();

        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        var instance = await eureka.InstanceAsync(app, id);
        Assert.Equal("UP", (string?)instance["status"]);
        Assert.Equal("UNKNOWN", (string?)instance["overriddenStatus"]);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Metadata_update_merges_into_the_instance_and_shows_in_every_read(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App(), Unique.Id());
        var instance = InstanceJson.Create(app, id);
        instance["metadata"] = new JsonObject { ["zone"] = "a", ["version"] = "1" };
        await eureka.RegisterOkAsync(instance);

        using (var response = await eureka.UpdateMetadataAsync(app, id, "?version=2&weight=10"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        var reads = new[]
        {
            await eureka.InstanceAsync(app, id),
            (await eureka.GetJsonAsync($"instances/{id}"))["instance"]!.AsObject(),
            Envelope.Instance(await eureka.ApplicationsAsync(), id),
            Envelope.Instance(await eureka.ApplicationsAsync("apps/delta"), id),
        };
        foreach (var read in reads)
        {
            var metadata = read["metadata"]!.AsObject();
            Assert.Equal(["version", "weight", "zone"], metadata.Select(m => m.Key).Order(StringComparer.Ordinal));
            Assert.Equal("a", (string?)metadata["zone"]);
            Assert.Equal("2", (string?)metadata["version"]);
            Assert.Equal("10", (string?)metadata["weight"]);
        }
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Metadata_update_of_an_unknown_instance_is_404(string prefix)
    {
        using var eureka = server.Client(prefix);
        var app = Unique.App();
        await eureka.RegisterOkAsync(InstanceJson.Create(app, Unique.Id()));

        using var response = await eureka.UpdateMetadataAsync(app, Unique.Id(), "?k=v");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task The_server_upper_cases_the_application_name(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id) = (Unique.App("orders").ToLowerInvariant(), Unique.Id());

        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        var upper = app.ToUpperInvariant();
        var application = (await eureka.GetJsonAsync($"apps/{app}"))["application"]!;
        Assert.Equal(upper, (string?)application["name"]);
        Assert.Equal(upper, (string?)application["instance"]![0]!["app"]);
        Assert.Equal(upper, (string?)(await eureka.InstanceAsync(upper, id))["app"]);
        Assert.Contains(Envelope.Applications(await eureka.ApplicationsAsync()), a => (string?)a["name"] == upper);
        Assert.DoesNotContain(Envelope.Applications(await eureka.ApplicationsAsync()), a => (string?)a["name"] == app);
        await eureka.HeartbeatOkAsync(app, id);
        using var cancel = await eureka.CancelAsync(app, id);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Instance_ids_compare_case_sensitively(string prefix)
    {
        using var eureka = server.Client(prefix);
        var app = Unique.App();
        var id = Unique.Id("Mixed-Case");
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        Assert.Null(await eureka.InstanceOrNullAsync(app, id.ToLowerInvariant()));
        using (var heartbeat = await eureka.HeartbeatAsync(app, id.ToUpperInvariant()))
        {
            Assert.Equal(HttpStatusCode.NotFound, heartbeat.StatusCode);
        }

        await eureka.RegisterOkAsync(InstanceJson.Create(app, id.ToLowerInvariant(), status: "DOWN"));

        var instances = (await eureka.GetJsonAsync($"apps/{app}"))["application"]!["instance"]!.AsArray();
        Assert.Equal([id, id.ToLowerInvariant()], instances.Select(i => (string)i!["instanceId"]!).Order(StringComparer.Ordinal));
        Assert.Equal("UP", (string?)(await eureka.InstanceAsync(app, id))["status"]);
        Assert.Equal("DOWN", (string?)(await eureka.InstanceAsync(app, id.ToLowerInvariant()))["status"]);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task A_peer_batch_applies_each_item_in_order_and_answers_a_status_for_each(string prefix)
    {
        using var eureka = server.Client(prefix);
        var (app, id, gone) = (Unique.App(), Unique.Id(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, gone));
        var batch = new JsonObject
        {
            ["replicationList"] = new JsonArray(
                Item("Register", app, id, instance: InstanceJson.Create(app, id)),
                Item("Heartbeat", app, id),
                Item("StatusUpdate", app, id, status: "OUT_OF_SERVICE"),
                Item("Heartbeat", app, Unique.Id()),
                Item("Cancel", app, gone),
                Item("Cancel", app, gone)),
        };

        using var response = await eureka.PostAsync("peerreplication/batch/", batch.ToJsonString(), replication: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["responseList"]!.AsArray();
        Assert.Equal([200, 200, 200, 404, 200, 404], results.Select(r => (int)r!["statusCode"]!));
        Assert.Equal("OUT_OF_SERVICE", (string?)(await eureka.InstanceAsync(app, id))["status"]);
        Assert.Null(await eureka.InstanceOrNullAsync(app, gone));
    }

    private static JsonObject Item(string action, string app, string id, string? status = null, JsonObject? instance = null)
    {
        var item = new JsonObject { ["appName"] = app, ["id"] = id, ["action"] = action };
        if (status is not null)
        {
            item["status"] = status;
        }

        if (instance is not null)
        {
            item["instanceInfo"] = instance;
        }

        return item;
    }
}
