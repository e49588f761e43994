using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TTMall.Gateway.Tests;

/// <summary>One generated write to a discovery peer, and whether it is bad (then it must be refused with a 4xx).</summary>
public sealed record FuzzWrite(string Kind, HttpMethod Method, string Path, byte[]? Body, string? ContentType, bool Replication, bool Bad, int? Peer)
{
    public override string ToString()
    {
        var body = Body is null ? "" : " " + Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 160)).Replace('\0', '?');
        return $"{Kind}{(Bad ? " (bad)" : "")}: {Method} {Path[..Math.Min(Path.Length, 160)]}{(Replication ? " [replication]" : "")}{body}";
    }
}

/// <summary>
/// Random registry writes through every write endpoint of the Eureka API: registrations (valid, mutated into something
/// no reader could use, or not an instance at all), heartbeats, cancels, status overrides and their removal, metadata
/// and replication batches. Seeded, so a failure replays. Valid writes name the fuzzer's own applications only, each
/// instance always through the same peer (as a real client does), from a small pool so the registry never fills;
/// bad writes may name the mall's real instances too, and must change nothing.
/// </summary>
public sealed class RegistryFuzzer(int seed, IReadOnlyList<string> realInstances)
{
    public const string AppPrefix = "FUZZ";
    private const int Apps = 3;
    private const int IdsPerApp = 8;

    private readonly Random _random = new(seed);

    public static bool IsFuzzApp(string app) => app.StartsWith(AppPrefix, StringComparison.Ordinal);

    public FuzzWrite Next() => _random.Next(100) switch
    {
        < 35 => Register(),
        < 55 => Heartbeat(),
        < 62 => Cancel(),
        < 72 => Status(),
        < 84 => Metadata(),
        _ => Batch(),
    };

    // ---------------------------------------------------------------- registrations

    private FuzzWrite Register()
    {
        var (app, id, peer) = FuzzInstance();
        var instance = Instance(app, id);
        // Harmless variations: a reader must take each.
        if (Chance(30))
        {
            instance["status"] = Pick("UP", "DOWN", "STARTING", "OUT_OF_SERVICE", "UNKNOWN", "up", "nonsense");
        }

        if (Chance(20))
        {
            instance["leaseInfo"] = new JsonObject { ["renewalIntervalInSecs"] = Pick(-1, 0, 1, 30, int.MaxValue), ["durationInSecs"] = Pick(-5, 0, 4, 90, int.MaxValue) };
        }

        if (Chance(20))
        {
            instance["metadata"] = new JsonObject { ["zone"] = Pick("a", "猫", "<b>", "\"q\"", ""), ["n"] = _random.Next() };
        }

        var path = $"apps/{app}";
        if (Chance(45))
        {
            var (mutation, mutated, mutatedPath) = Mutate(instance, path);
            return new FuzzWrite($"register/{mutation}", HttpMethod.Post, Prefix() + mutatedPath, mutated, "application/json", Chance(10), Bad: true, Peer: null);
        }

        if (Chance(10))
        {
            var (kind, body, type) = NotAnInstance();
            return new FuzzWrite($"register/{kind}", HttpMethod.Post, Prefix() + path, body, type, Chance(10), Bad: true, Peer: null);
        }

        return new FuzzWrite("register", HttpMethod.Post, Prefix() + path, Json(instance), "application/json", false, Bad: false, Peer: peer);
    }

    private (string Mutation, byte[] Body, string Path) Mutate(JsonObject instance, string path)
    {
        var mutations = new (string Name, Action<JsonObject> Apply)[]
        {
            ("port-70000", i => i["port"] = new JsonObject { ["$"] = 70000, ["@enabled"] = "true" }),
            ("port-negative", i => i["port"] = new JsonObject { ["$"] = -2, ["@enabled"] = "true" }),
            ("port-text", i => i["port"] = new JsonObject { ["$"] = "http", ["@enabled"] = "true" }),
            ("port-huge", i => i["port"] = new JsonObject { ["$"] = long.MaxValue, ["@enabled"] = "true" }),
            ("host-space", i => i["hostName"] = "bad host"),
            ("host-port", i => i["hostName"] = "host:80"),
            ("host-dots", i => i["hostName"] = "a..b"),
            ("host-long-label", i => i["hostName"] = new string('a', 300)),
            ("host-percent", i => i["hostName"] = "%41"),
            ("host-slash", i => i["hostName"] = "a/b"),
            ("host-empty", i => i["hostName"] = ""),
            ("host-nul", i => i["hostName"] = "a\0b"),
            ("ip-bad", i => i["ipAddr"] = Pick("1", "999.0.0.1", "localhost", "1.2.3.4.5", "")),
            ("id-slash", i => i["instanceId"] = "a/b"),
            ("id-space", i => i["instanceId"] = "a b"),
            ("id-long", i => i["instanceId"] = new string('i', 200)),
            ("id-markup", i => i["instanceId"] = "<script>x</script>"),
            ("id-real", i => { i["instanceId"] = Pick([.. realInstances]); i["hostName"] = "a..b"; }),
            ("vip-bad", i => i["vipAddress"] = "products,<x>"),
            ("url-bad", i => i["healthCheckUrl"] = Pick("file:///etc/passwd", "http://bad host/", "javascript:alert(1)")),
            ("dirty-future", i => i["lastDirtyTimestamp"] = Pick(long.MaxValue, DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()).ToString(CultureInfo.InvariantCulture)),
            ("metadata-many", i => i["metadata"] = new JsonObject([.. Enumerable.Range(0, _random.Next(33, 2_000)).Select(k => KeyValuePair.Create($"k{k}", (JsonNode?)"v"))])),
            ("metadata-big", i => i["metadata"] = new JsonObject { ["x"] = new string('<', _random.Next(2_100, 200_000)) }),
            ("metadata-nul", i => i["metadata"] = new JsonObject { ["x"] = "a\u0001b" }),
            ("datacenter-missing", i => i.Remove("dataCenterInfo")),
            ("app-mismatch", i => i["app"] = "OTHER"),
        };
        var (name, apply) = mutations[_random.Next(mutations.Length)];
        apply(instance);
        return (name, Json(instance), path);
    }

    private (string Kind, byte[] Body, string ContentType) NotAnInstance()
    {
        var bodies = new (string Kind, Func<byte[]> Body)[]
        {
            ("truncated", () => Json(Instance("FUZZ0", "x"))[..40]),
            ("random-bytes", () => { var b = new byte[_random.Next(1, 2_000)]; _random.NextBytes(b); return b; }),
            ("array", () => "[]"u8.ToArray()),
            ("deep", () => Encoding.UTF8.GetBytes(new string('[', 5_000) + new string(']', 5_000))),
            ("instance-number", () => """{"instance":42}"""u8.ToArray()),
            ("lone-surrogate", () => Encoding.UTF8.GetBytes("""{"instance":{"instanceId":"\ud800","hostName":"localhost"}}""")),
            ("invalid-utf8", () => [.. "{\"instance\":{\"hostName\":\""u8, 0xC3, 0x28, .. "\"}}"u8]),
            ("too-large", () => Encoding.UTF8.GetBytes("{\"instance\":{\"x\":\"" + new string('x', 300_000) + "\"}}")),
        };
        var (kind, body) = bodies[_random.Next(bodies.Length)];
        return (kind, body(), Pick("application/json", "application/json; charset=bogus", "text/plain", "application/xml"));
    }

    // ---------------------------------------------------------------- the other writes

    private FuzzWrite Heartbeat()
    {
        var (app, id, peer) = FuzzInstance();
        var future = Chance(25);
        var dirty = future
            ? Pick(long.MaxValue, DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeMilliseconds())
            : Pick(0L, 1L, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000);
        var status = Pick("UP", "DOWN", "STARTING", "OUT_OF_SERVICE", "", "garbage", "%00");
        if (future && Chance(50))
        {
            (app, id) = RealOrFuzz(app, id);
        }

        var query = $"?status={status}&lastDirtyTimestamp={dirty.ToString(CultureInfo.InvariantCulture)}{(Chance(20) ? "&overriddenstatus=" + Pick("OUT_OF_SERVICE", "x") : "")}";
        return new FuzzWrite("heartbeat", HttpMethod.Put, $"{Prefix()}apps/{app}/{Uri.EscapeDataString(id)}{query}", null, null, Replication: future && Chance(50), Bad: future, Peer: future ? null : peer);
    }

    private FuzzWrite Cancel()
    {
        var (app, id, peer) = FuzzInstance();
        if (Chance(30))
        {
            // Ids no registry holds, real instances under another application's name: nothing to cancel.
            var target = Pick("a%2Fb", "x%00", new string('i', 300), "..");
            return new FuzzWrite("cancel/unknown", HttpMethod.Delete, $"{Prefix()}apps/{Pick("PRODUCTS", app)}/{target}", null, null, false, Bad: true, Peer: null);
        }

        return new FuzzWrite("cancel", HttpMethod.Delete, $"{Prefix()}apps/{app}/{Uri.EscapeDataString(id)}", null, null, false, Bad: false, Peer: peer);
    }

    private FuzzWrite Status()
    {
        var (app, id, peer) = FuzzInstance();
        var delete = Chance(30);
        if (Chance(40))
        {
            var (target, targetId) = RealOrFuzz(app, id);
            var value = Pick("", "garbage", "1", "UP,DOWN", "%00");
            return new FuzzWrite("status/bad", HttpMethod.Put, $"{Prefix()}apps/{target}/{Uri.EscapeDataString(targetId)}/status?value={value}", null, null, false, Bad: true, Peer: null);
        }

        var query = delete ? (Chance(50) ? "" : "?value=UP") : $"?value={Pick("OUT_OF_SERVICE", "UP", "DOWN")}";
        return new FuzzWrite(delete ? "status-delete" : "status", delete ? HttpMethod.Delete : HttpMethod.Put,
            $"{Prefix()}apps/{app}/{Uri.EscapeDataString(id)}/status{query}", null, null, false, Bad: false, Peer: peer);
    }

    private FuzzWrite Metadata()
    {
        var (app, id, peer) = FuzzInstance();
        if (Chance(50))
        {
            var query = _random.Next(4) switch
            {
                0 => $"?big={new string('x', _random.Next(2_100, 7_000))}",
                1 => "?" + string.Join("&", Enumerable.Range(0, _random.Next(33, 200)).Select(i => $"k{i}=v")),
                2 => "?nul=a%00b",
                _ => "?control=%01",
            };
            var (target, targetId) = RealOrFuzz(app, id);
            return new FuzzWrite("metadata/bad", HttpMethod.Put, $"{Prefix()}apps/{target}/{Uri.EscapeDataString(targetId)}/metadata{query}", null, null, false, Bad: true, Peer: null);
        }

        return new FuzzWrite("metadata", HttpMethod.Put, $"{Prefix()}apps/{app}/{Uri.EscapeDataString(id)}/metadata?zone={Pick("a", "b", "%E7%8C%AB")}&n={_random.Next(100)}",
            null, null, false, Bad: false, Peer: peer);
    }

    /// <summary>Batches that no peer would send: without the header, malformed, with strange actions, or items that name nothing.</summary>
    private FuzzWrite Batch()
    {
        var (app, id, _) = FuzzInstance();
        var kinds = new (string Kind, bool Replication, string Body)[]
        {
            ("no-header", false, $$"""{"replicationList":[{"appName":"{{app}}","id":"{{id}}","action":"Cancel"}]}"""),
            ("action-combined", true, $$"""{"replicationList":[{"appName":"{{app}}","id":"{{id}}","action":"Register, Cancel"}]}"""),
            ("action-number", true, $$"""{"replicationList":[{"appName":"{{app}}","id":"{{id}}","action":"1"}]}"""),
            ("action-missing", true, $$"""{"replicationList":[{"appName":"{{app}}","id":"{{id}}"}]}"""),
            ("list-missing", true, """{"other":[]}"""),
            ("item-number", true, """{"replicationList":[1,2]}"""),
            ("not-json", true, "{"),
            ("id-slash", true, $$"""{"replicationList":[{"appName":"{{app}}","id":"a/b","action":"Cancel"}]}"""),
            ("dirty-future", true, $$"""{"replicationList":[{"appName":"{{RealApp()}}","id":"{{RealId()}}","action":"Heartbeat","status":"DOWN","lastDirtyTimestamp":{{long.MaxValue}}}]}"""),
            ("status-future", true, $$"""{"replicationList":[{"appName":"{{RealApp()}}","id":"{{RealId()}}","action":"StatusUpdate","status":"OUT_OF_SERVICE","lastDirtyTimestamp":{{long.MaxValue}}}]}"""),
            ("register-invalid", true, $$"""{"replicationList":[{"appName":"{{app}}","id":"{{id}}","action":"Register","instanceInfo":{"instanceId":"{{id}}","hostName":"bad host","app":"{{app}}","ipAddr":"127.0.0.1","dataCenterInfo":{"name":"MyOwn"},"port":{"$":70000,"@enabled":"true"} } }]}"""),
        };
        var (kind, replication, body) = kinds[_random.Next(kinds.Length)];
        return new FuzzWrite($"batch/{kind}", HttpMethod.Post, Prefix() + "peerreplication/batch", Encoding.UTF8.GetBytes(body), "application/json", replication, Bad: true, Peer: null);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>An instance of the fuzzer's own, and the peer (0 or 1) all its valid writes go to.</summary>
    private (string App, string Id, int Peer) FuzzInstance()
    {
        var (app, n) = (_random.Next(Apps), _random.Next(IdsPerApp));
        return ($"{AppPrefix}{app}", $"fuzz-{app}-{n}", (app + n) % 2);
    }

    /// <summary>The peer (0 or 1) a fuzz instance's valid writes go to; null for an instance that is not the fuzzer's.</summary>
    public static int? HomePeer(string app, string id)
    {
        var parts = id.Split('-');
        return IsFuzzApp(app) && parts is ["fuzz", var a, var n] && int.TryParse(a, CultureInfo.InvariantCulture, out var appNumber)
            && int.TryParse(n, CultureInfo.InvariantCulture, out var number)
            ? (appNumber + number) % 2
            : null;
    }

    private (string App, string Id) RealOrFuzz(string app, string id) =>
        Chance(50) && realInstances.Count > 0 ? (RealApp(), RealId()) : (app, id);

    private string RealId() => Pick([.. realInstances]);

    private string RealApp() => Pick("PRODUCTS", "GATEWAY");

    private static JsonObject Instance(string app, string id) => new()
    {
        ["instanceId"] = id,
        ["hostName"] = "localhost",
        ["app"] = app,
        ["ipAddr"] = "127.0.0.1",
        ["status"] = "UP",
        ["port"] = new JsonObject { ["$"] = 9, ["@enabled"] = "true" },
        ["securePort"] = new JsonObject { ["$"] = 443, ["@enabled"] = "false" },
        ["dataCenterInfo"] = new JsonObject { ["@class"] = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", ["name"] = "MyOwn" },
        ["leaseInfo"] = new JsonObject { ["renewalIntervalInSecs"] = 30, ["durationInSecs"] = 120 },
        ["vipAddress"] = app.ToLowerInvariant(),
        ["healthCheckUrl"] = "http://localhost:9/health",
    };

    private static byte[] Json(JsonObject instance) => Encoding.UTF8.GetBytes(new JsonObject { ["instance"] = instance.DeepClone() }.ToJsonString());

    private string Prefix() => Chance(50) ? "eureka/" : "eureka/v2/";

    private bool Chance(int percent) => _random.Next(100) < percent;

    private T Pick<T>(params T[] choices) => choices[_random.Next(choices.Length)];
}
