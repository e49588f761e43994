using System.Globalization;
using System.Text.Json.Nodes;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>
/// A registry no reader may trust: beside one good instance of PRODUCTS (VIP products), instances whose addresses,
/// ids or metadata break <see cref="TTMall.Eureka.InstanceRules"/>, as a registry could serve them when it does not
/// check (an older discovery server, a foreign one, a faulty peer). Every bad instance that has an address at all
/// points at a decoy server, so a request sent to one would be seen.
/// </summary>
internal static class HostileRegistry
{
    public const string App = "PRODUCTS";
    public const string Vip = "products";
    public const string GoodId = "products-good";

    // Stand-ins for what a JSON writer cannot be made to write; replaced in the finished text.
    private const string LoneSurrogate = "@@LONE-SURROGATE@@";
    private const string HugeNumber = "@@HUGE-NUMBER@@";

    /// <summary>A usable instance of <paramref name="app"/> at 127.0.0.1:<paramref name="port"/>, in Eureka's JSON shape.</summary>
    public static JsonObject Instance(string app, string id, int port, string status = "UP", string vip = Vip)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        return new JsonObject
        {
            ["instanceId"] = id,
            ["hostName"] = "127.0.0.1",
            ["app"] = app,
            ["ipAddr"] = "127.0.0.1",
            ["status"] = status,
            ["overriddenStatus"] = "UNKNOWN",
            ["port"] = new JsonObject { ["$"] = port, ["@enabled"] = "true" },
            ["securePort"] = new JsonObject { ["$"] = 443, ["@enabled"] = "false" },
            ["countryId"] = 1,
            ["dataCenterInfo"] = new JsonObject { ["@class"] = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", ["name"] = "MyOwn" },
            ["leaseInfo"] = new JsonObject
            {
                ["renewalIntervalInSecs"] = 30,
                ["durationInSecs"] = 90,
                ["registrationTimestamp"] = 0,
                ["lastRenewalTimestamp"] = 0,
                ["evictionTimestamp"] = 0,
                ["serviceUpTimestamp"] = 0,
            },
            ["metadata"] = new JsonObject { ["@class"] = "java.util.Collections$EmptyMap" },
            ["homePageUrl"] = url + "/",
            ["statusPageUrl"] = url + "/alive",
            ["healthCheckUrl"] = url + "/health",
            ["vipAddress"] = vip,
            ["secureVipAddress"] = vip,
            ["isCoordinatingDiscoveryServer"] = "false",
            ["lastUpdatedTimestamp"] = now,
            ["lastDirtyTimestamp"] = now,
        };
    }

    /// <summary>The instance as served: its JSON text with the stand-ins replaced, and the status it counts as in the hashcode.</summary>
    public static FakeInstance Served(JsonObject instance) => new(
        (string)instance["app"]!,
        (string)instance["instanceId"]!,
        (string)instance["status"]!,
        instance.ToJsonString()
            .Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal)
            .Replace($"\"{HugeNumber}\"", "99999999999999999999999999", StringComparison.Ordinal));

    public static FakeInstance Good(string id, int port) => Served(Instance(App, id, port));

    /// <summary>
    /// The bad instances, each a reader must leave alone, with one warning each. Statuses vary so the hashcode counts
    /// more than one. The good instance's id is shared by two of them, in applications before and after PRODUCTS
    /// answering to the same VIP: ids are unique within an application only.
    /// </summary>
    public static IReadOnlyList<FakeInstance> Bad(int decoyPort) =>
    [
        Served(With(Instance(App, "products-port-70000", decoyPort), i => i["port"]!["$"] = 70000)),
        Served(With(Instance(App, "products-port-minus-2", decoyPort, "DOWN"), i => i["port"]!["$"] = -2)),
        Served(With(Instance(App, "products-port-0", decoyPort), i => i["port"]!["$"] = 0)),
        Served(With(Instance(App, "products-no-port-enabled", decoyPort), i => i["port"]!["@enabled"] = "false")),
        Served(With(Instance(App, "products-host-space", decoyPort, "OUT_OF_SERVICE"), i => i["hostName"] = "bad host")),
        Served(With(Instance(App, "products-host-colon", decoyPort), i => i["hostName"] = "host:80")),
        Served(With(Instance(App, "products-host-empty-label", decoyPort), i => i["hostName"] = "a..b")),
        Served(With(Instance(App, "products-host-long-label", decoyPort), i => i["hostName"] = new string('a', 300) + ".example")),
        Served(With(Instance(App, "products-host-percent", decoyPort, "STARTING"), i => i["hostName"] = "%41")),
        Served(Instance(App, "products/slash", decoyPort)),
        Served(With(Instance(App, "products-metadata-nul", decoyPort), i => i["metadata"] = new JsonObject { ["zone"] = "a\0b" })),
        Served(With(Instance(App, "products-metadata-surrogate", decoyPort), i => i["metadata"] = new JsonObject { ["zone"] = LoneSurrogate })),
        Served(With(Instance(App, "products-metadata-5000", decoyPort), i =>
            i["metadata"] = new JsonObject(Enumerable.Range(0, 5000).Select(n => KeyValuePair.Create<string, JsonNode?>($"key{n}", $"value{n}"))))),
        Served(With(Instance("EARLY", GoodId, decoyPort), i => i["metadata"] = new JsonObject { ["zone"] = "a\0b" })),
        Served(With(Instance("SHADOW", GoodId, decoyPort), i => i["port"]!["$"] = 70000)),
    ];

    /// <summary>
    /// Instances with lease terms no reader can take at face value (text, numbers beyond any integer): readers route
    /// by address and status, never by lease, so these stay usable. They are registrations of the good server.
    /// </summary>
    public static IReadOnlyList<FakeInstance> OddLeases(int goodPort) =>
    [
        Served(With(Instance(App, "products-lease-text", goodPort), i => i["leaseInfo"] = new JsonObject
        {
            ["renewalIntervalInSecs"] = "often",
            ["durationInSecs"] = "forever",
            ["lastRenewalTimestamp"] = new JsonObject { ["when"] = "now" },
        })),
        Served(With(Instance(App, "products-lease-huge", goodPort), i => i["leaseInfo"] = new JsonObject
        {
            ["renewalIntervalInSecs"] = 4294967297L,
            ["durationInSecs"] = HugeNumber,
            ["registrationTimestamp"] = HugeNumber,
            ["evictionTimestamp"] = 1e300,
        })),
    ];

    /// <summary>A DOWN instance that breaks no rule: counted, not routed to, no warning.</summary>
    public static FakeInstance Down(int decoyPort) => Served(Instance(App, "products-down", decoyPort, "DOWN"));

    /// <summary>
    /// The whole hostile registry: the EARLY twin, then PRODUCTS (good instance first), then SHADOW, so a reader that
    /// keeps one verdict per id gets one of them wrong whichever way round it reads.
    /// </summary>
    public static IReadOnlyList<FakeInstance> Registry(int goodPort, int decoyPort)
    {
        var bad = Bad(decoyPort);
        return [.. bad.Where(i => i.App == "EARLY"), Good(GoodId, goodPort), .. bad.Where(i => i.App == App), Down(decoyPort), .. OddLeases(goodPort), .. bad.Where(i => i.App == "SHADOW")];
    }

    private static JsonObject With(JsonObject instance, Action<JsonObject> change)
    {
        change(instance);
        return instance;
    }
}
