using System.Text.Json.Nodes;

namespace TTMall.Discovery.Tests.Support;

/// <summary>Registration bodies in the shape Java's Eureka client sends, for tests to adjust field by field.</summary>
public static class InstanceJson
{
    public static JsonObject Create(
        string app,
        string id,
        string status = "UP",
        string? vip = null,
        string? secureVip = null,
        int renewalIntervalInSecs = 30,
        int durationInSecs = 90,
        long? lastDirtyTimestamp = null)
    {
        var instance = new JsonObject
        {
            ["instanceId"] = id,
            ["hostName"] = "localhost",
            ["app"] = app,
            ["ipAddr"] = "127.0.0.1",
            ["status"] = status,
            ["overriddenStatus"] = "UNKNOWN",
            ["port"] = new JsonObject { ["$"] = 8080, ["@enabled"] = "true" },
            ["securePort"] = new JsonObject { ["$"] = 8443, ["@enabled"] = "false" },
            ["countryId"] = 1,
            ["dataCenterInfo"] = new JsonObject
            {
                ["@class"] = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo",
                ["name"] = "MyOwn",
            },
            ["leaseInfo"] = new JsonObject
            {
                ["renewalIntervalInSecs"] = renewalIntervalInSecs,
                ["durationInSecs"] = durationInSecs,
            },
            ["metadata"] = new JsonObject { ["@class"] = "java.util.Collections$EmptyMap" },
            ["homePageUrl"] = "http://localhost:8080/",
            ["statusPageUrl"] = "http://localhost:8080/info",
            ["healthCheckUrl"] = "http://localhost:8080/health",
            ["vipAddress"] = vip ?? app.ToLowerInvariant(),
            ["secureVipAddress"] = secureVip ?? app.ToLowerInvariant(),
            ["isCoordinatingDiscoveryServer"] = "false",
        };
        if (lastDirtyTimestamp is { } dirty)
        {
            instance["lastDirtyTimestamp"] = dirty.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return instance;
    }

    /// <summary>{"instance":{…}}, the register body.</summary>
    public static string Document(JsonObject instance) => new JsonObject { ["instance"] = instance.DeepClone() }.ToJsonString();
}
