using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;
using TTMall.Eureka;

namespace TTMall.Discovery.Tests;

/// <summary>
/// Who may write to the registry: an application its own instances, with its own credential; a peer anything, and only a
/// peer may replicate. What an attacker on the same machine (or a web page in its browser) tries is refused.
/// </summary>
public sealed class AuthenticationTests(DiscoveryServerFixture server) : IClassFixture<DiscoveryServerFixture>
{
    public static TheoryData<string, string> Writes => new()
    {
        { "PUT", "" },
        { "DELETE", "" },
        { "PUT", "/status?value=OUT_OF_SERVICE" },
        { "DELETE", "/status" },
        { "PUT", "/metadata?owner=attacker" },
    };

    [Fact]
    public async Task A_registration_without_a_credential_is_401_with_a_basic_challenge_and_registers_nothing()
    {
        using var eureka = server.Client();
        using var anonymous = eureka.As(null);
        var (app, id) = (Unique.App(), Unique.Id());

        using var response = await anonymous.RegisterAsync(InstanceJson.Create(app, id));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Contains("realm=", challenge.Parameter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(await eureka.ListsAsync(id));
    }

    [Fact]
    public async Task A_wrong_or_malformed_credential_is_401()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        AuthenticationHeaderValue[] wrong =
        [
            DiscoveryCredentials.Basic(app, "wrong"),
            // Right formula, another mall's secret.
            DiscoveryCredentials.Basic(app, DiscoveryCredentials.AppPassword(new string('x', 48), app)),
            // Another application's password under this one's name.
            DiscoveryCredentials.Basic(app, DiscoveryCredentials.AppPassword(TestDiscovery.Secret, Unique.App())),
            DiscoveryCredentials.Basic(DiscoveryCredentials.PeerUser, "wrong"),
            new("Basic", "not base64!"),
            new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("no colon"))),
            new("Bearer", DiscoveryCredentials.AppPassword(TestDiscovery.Secret, app)),
        ];

        foreach (var credential in wrong)
        {
            using var client = eureka.As(credential);
            using var response = await client.RegisterAsync(InstanceJson.Create(app, id));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{credential}: {(int)response.StatusCode}");
        }

        Assert.False(await eureka.ListsAsync(id));
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Every_write_on_an_instance_needs_its_applications_credential(string method, string path)
    {
        using var eureka = server.Client();
        var (victim, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(victim, id));
        using var anonymous = eureka.As(null);
        using var attacker = eureka.As(TestDiscovery.App(Unique.App()));

        using var withNone = await anonymous.SendAsync(new HttpMethod(method), $"apps/{victim}/{id}{path}");
        using var withAnother = await attacker.SendAsync(new HttpMethod(method), $"apps/{victim}/{id}{path}");

        Assert.Equal(HttpStatusCode.Unauthorized, withNone.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withAnother.StatusCode);
        var instance = await eureka.InstanceAsync(victim, id);
        Assert.Equal("UP", (string?)instance["status"]);
        Assert.Equal("UNKNOWN", (string?)instance["overriddenStatus"]);
        Assert.Null(instance["metadata"]?["owner"]);
    }

    [Fact]
    public async Task Another_application_cannot_take_over_an_instance_by_a_newer_registration()
    {
        using var eureka = server.Client();
        var (victim, attackerApp, id) = (Unique.App(), Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(victim, id, lastDirtyTimestamp: 1_000));
        using var attacker = eureka.As(TestDiscovery.App(attackerApp));
        var hijack = InstanceJson.Create(victim, id, lastDirtyTimestamp: long.MaxValue / 2);
        hijack["homePageUrl"] = "http://localhost:6666/";
        hijack["port"] = new JsonObject { ["$"] = 6666, ["@enabled"] = "true" };
        var moved = InstanceJson.Create(attackerApp, id, lastDirtyTimestamp: long.MaxValue / 2);

        using var underVictim = await attacker.RegisterAsync(hijack);
        using var underItsOwnName = await attacker.RegisterAsync(moved);

        Assert.Equal(HttpStatusCode.Forbidden, underVictim.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, underItsOwnName.StatusCode);
        Assert.Contains(victim, await underItsOwnName.Content.ReadAsStringAsync());
        var instance = await eureka.InstanceAsync(victim, id);
        Assert.Equal(8080, (int)instance["port"]!["$"]!);
        Assert.Null(await eureka.InstanceOrNullAsync(attackerApp, id));
    }

    [Theory]
    [InlineData("vipAddress")]
    [InlineData("secureVipAddress")]
    public async Task An_application_cannot_join_another_by_its_vip_address(string field)
    {
        using var eureka = server.Client();
        var (victim, attackerApp) = (Unique.App(), Unique.App());
        await eureka.RegisterOkAsync(InstanceJson.Create(victim, Unique.Id()));
        var joining = InstanceJson.Create(attackerApp, Unique.Id());
        joining[field] = $"{attackerApp.ToLowerInvariant()},{victim.ToLowerInvariant()}";

        using var response = await eureka.RegisterAsync(joining);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        var path = field == "vipAddress" ? "vips" : "svips";
        var members = Envelope.Instances(await eureka.ApplicationsAsync($"{path}/{victim.ToLowerInvariant()}"));
        Assert.All(members, m => Assert.Equal(victim, (string?)m["app"]));
        Assert.False(await eureka.ListsAsync((string)joining["instanceId"]!));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData(null)]
    public async Task A_registration_that_is_not_json_is_415_even_with_the_right_credential(string? contentType)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        // A web page can send text/plain (or a form) to any address without asking first: the body is JSON, the type is not.
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(InstanceJson.Document(InstanceJson.Create(app, id))));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await eureka.SendAsync(HttpMethod.Post, $"apps/{app}", content: content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(await eureka.ListsAsync(id));
    }

    [Fact]
    public async Task A_replication_batch_that_is_not_json_is_415()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        var batch = $$"""{"replicationList":[{"appName":"{{app}}","id":"{{id}}","action":"Register","instanceInfo":{{InstanceJson.Create(app, id).ToJsonString()}}}]}""";

        using var response = await eureka.PostAsync("peerreplication/batch", batch, replication: true, contentType: "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.False(await eureka.ListsAsync(id));
    }

    [Fact]
    public async Task The_replication_header_counts_only_with_the_peers_credential()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        using var owner = eureka.As(TestDiscovery.App(app));
        using var anonymous = eureka.As(null);
        // A peer's registration skips the clients' budget and checks: an application sending the header gains neither.
        var foreignVip = InstanceJson.Create(app, id, vip: "products");

        using var fromOwner = await owner.RegisterAsync(foreignVip, replication: true);
        using var fromNobody = await anonymous.RegisterAsync(foreignVip, replication: true);
        using var read = await anonymous.SendAsync(HttpMethod.Get, "apps", replication: true);
        using var fromPeer = await eureka.RegisterAsync(InstanceJson.Create(app, id), replication: true);

        Assert.Equal(HttpStatusCode.Forbidden, fromOwner.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, fromNobody.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, fromPeer.StatusCode);
        Assert.Equal(app.ToLowerInvariant(), (string?)(await eureka.InstanceAsync(app, id))["vipAddress"]);
    }

    [Theory]
    [InlineData("evil.example:{port}")]
    [InlineData("localhost.evil.example:{port}")]
    [InlineData("localhost:1")]
    [InlineData("localhost")]
    [InlineData("127.0.0.2:{port}")]
    public async Task A_request_naming_another_host_is_421(string host)
    {
        using var eureka = server.Client();
        foreach (var path in new[] { "apps", "/", "/health" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host.Replace("{port}", server.Peer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            using var response = await eureka.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.MisdirectedRequest, $"{host} {path}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task A_request_naming_this_server_on_loopback_is_served(string host)
    {
        using var eureka = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "apps");
        request.Headers.Host = $"{host}:{server.Peer.Port}";

        using var response = await eureka.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_its_own_credential_an_application_does_everything_a_eureka_client_does()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        // User names are application names, case-insensitively, as Eureka upper-cases them.
        using var owner = eureka.As(DiscoveryCredentials.Basic(app.ToLowerInvariant(), DiscoveryCredentials.AppPassword(TestDiscovery.Secret, app)));
        var instance = InstanceJson.Create(app, id, vip: app.ToLowerInvariant(), secureVip: app);

        using var register = await owner.RegisterAsync(instance);
        using var heartbeat = await owner.HeartbeatAsync(app, id, "?status=UP");
        using var outOfService = await owner.OverrideStatusAsync(app, id, "OUT_OF_SERVICE");
        var overridden = (string?)(await eureka.InstanceAsync(app, id))["status"];
        using var back = await owner.DeleteOverrideAsync(app, id);
        using var metadata = await owner.UpdateMetadataAsync(app, id, "?zone=a");
        var zone = (string?)(await eureka.InstanceAsync(app, id))["metadata"]?["zone"];
        using var cancel = await owner.CancelAsync(app, id);

        Assert.Equal(HttpStatusCode.NoContent, register.StatusCode);
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, outOfService.StatusCode);
        Assert.Equal("OUT_OF_SERVICE", overridden);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal("a", zone);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.False(await eureka.ListsAsync(id));
    }

    [Fact]
    public async Task A_peer_with_another_secret_cannot_replicate_into_this_one()
    {
        await using var pair = await PeerPair.StartAsync();
        var (portA, portB) = (FreePort.OnLoopback(), pair.A.Port);
        await using var stranger = await DiscoveryPeer.StartAsync(portA, "--Discovery:SelfPreservation=false",
            $"--Discovery:Secret={new string('s', 48)}", $"--Discovery:PeerUrls:0=http://127.0.0.1:{portB}/eureka/");
        using var onStranger = EurekaTestClient.For(stranger);
        var (app, id) = (Unique.App(), Unique.Id());
        var theirs = DiscoveryCredentials.Basic(app, DiscoveryCredentials.AppPassword(new string('s', 48), app));
        using var asTheirApp = onStranger.As(theirs);

        using var register = await asTheirApp.RegisterAsync(InstanceJson.Create(app, id));
        Assert.Equal(HttpStatusCode.NoContent, register.StatusCode);
        await Eventually.HoldsAsync(() => stranger.Log.Contains("refused the batch with 401", StringComparison.Ordinal), Deadlines.Replication,
            "the stranger's replication is refused with 401", () => stranger.Log);

        Assert.False(await pair.OnA.ListsAsync(id));
    }
}
