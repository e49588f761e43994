using System.Globalization;
using System.Text.Json;

namespace TTMall.Eureka;

/// <summary>
/// Eureka's JSON, read leniently and written strictly. Readers take what Netflix's Java client, Steeltoe and
/// eureka-js-client send: "$"/"@enabled" and timestamps as strings, numbers or booleans, <c>overriddenstatus</c>
/// in its legacy spelling, a single object where an array is usual, unknown fields. Writers emit what all of
/// them read: arrays always, strings where Java writes strings, numbers where it writes numbers.
/// </summary>
public static class EurekaJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    // ---------------------------------------------------------------- reading

    /// <summary>Reads <c>{"instance":{…}}</c> or a bare instance object.</summary>
    public static InstanceInfo ReadInstanceDocument(JsonElement root) =>
        ReadInstance(root.ValueKind == JsonValueKind.Object && root.TryGetProperty("instance", out var inner) ? inner : root);

    public static InstanceInfo ReadInstance(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("an instance must be a JSON object");
        }

        var hostName = String(e, "hostName") ?? "";
        var metadata = new Dictionary<string, string>();
        if (e.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in meta.EnumerateObject())
            {
                if (property.Name != "@class")
                {
                    metadata[property.Name] = Text(property.Value) ?? "";
                }
            }
        }

        e.TryGetProperty("dataCenterInfo", out var dataCenter);
        return new InstanceInfo
        {
            InstanceId = String(e, "instanceId") is { Length: > 0 } id ? id : hostName,
            App = String(e, "app") ?? "",
            HostName = hostName,
            IpAddr = String(e, "ipAddr") ?? "",
            Status = InstanceStatuses.Parse(String(e, "status") ?? "UP"),
            OverriddenStatus = InstanceStatuses.Parse(String(e, "overriddenStatus") ?? String(e, "overriddenstatus")),
            Port = PortNumber(e, "port") ?? 0,
            PortEnabled = PortEnabled(e, "port") ?? true,
            SecurePort = PortNumber(e, "securePort") ?? 443,
            SecurePortEnabled = PortEnabled(e, "securePort") ?? false,
            CountryId = (int)(Long(e, "countryId") ?? 1),
            DataCenterClass = dataCenter.ValueKind == JsonValueKind.Object ? String(dataCenter, "@class") ?? InstanceInfo.DefaultDataCenterClass : InstanceInfo.DefaultDataCenterClass,
            DataCenterName = dataCenter.ValueKind == JsonValueKind.Object ? String(dataCenter, "name") ?? "" : "",
            LeaseInfo = e.TryGetProperty("leaseInfo", out var lease) && lease.ValueKind == JsonValueKind.Object ? ReadLease(lease) : new LeaseInfo(),
            Metadata = metadata,
            HomePageUrl = String(e, "homePageUrl"),
            StatusPageUrl = String(e, "statusPageUrl"),
            HealthCheckUrl = String(e, "healthCheckUrl"),
            SecureHealthCheckUrl = String(e, "secureHealthCheckUrl"),
            VipAddress = String(e, "vipAddress"),
            SecureVipAddress = String(e, "secureVipAddress"),
            IsCoordinatingDiscoveryServer = Bool(e, "isCoordinatingDiscoveryServer") ?? false,
            LastUpdatedTimestamp = Long(e, "lastUpdatedTimestamp") ?? 0,
            LastDirtyTimestamp = Long(e, "lastDirtyTimestamp") ?? 0,
            ActionType = String(e, "actionType") is { } action && Enum.TryParse<ActionType>(action, ignoreCase: true, out var parsed) ? parsed : null,
        };
    }

    public static LeaseInfo ReadLease(JsonElement e) => new()
    {
        RenewalIntervalInSecs = (int)(Long(e, "renewalIntervalInSecs") ?? LeaseInfo.DefaultRenewalIntervalInSecs),
        DurationInSecs = (int)(Long(e, "durationInSecs") ?? LeaseInfo.DefaultDurationInSecs),
        RegistrationTimestamp = Long(e, "registrationTimestamp") ?? 0,
        LastRenewalTimestamp = Long(e, "lastRenewalTimestamp") ?? Long(e, "renewalTimestamp") ?? 0,
        EvictionTimestamp = Long(e, "evictionTimestamp") ?? 0,
        ServiceUpTimestamp = Long(e, "serviceUpTimestamp") ?? 0,
    };

    /// <summary>Reads <c>{"application":{…}}</c> or a bare application object.</summary>
    public static Application ReadApplicationDocument(JsonElement root) =>
        ReadApplication(root.TryGetProperty("application", out var inner) ? inner : root);

    public static Application ReadApplication(JsonElement e) =>
        new(String(e, "name") ?? "", [.. OneOrMany(e, "instance").Select(ReadInstance)]);

    /// <summary>Reads <c>{"applications":{…}}</c>, the full registry or a delta.</summary>
    public static Applications ReadApplicationsDocument(JsonElement root)
    {
        var e = root.TryGetProperty("applications", out var inner) ? inner : root;
        return new Applications(
            [.. OneOrMany(e, "application").Select(ReadApplication)],
            String(e, "apps__hashcode") ?? "",
            Long(e, "versions__delta") ?? 0);
    }

    private static IEnumerable<JsonElement> OneOrMany(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object).ToList(),
            JsonValueKind.Object => [value],
            _ => [],
        };
    }

    private static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) ? Text(value) : null;

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static long? Long(JsonElement e, string name) =>
        String(e, name) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    // Some writers send flags as 1/0 (number or string) rather than true/false.
    private static bool? Bool(JsonElement e, string name) => String(e, name) switch
    {
        "1" => true,
        "0" => false,
        { } text when bool.TryParse(text, out var flag) => flag,
        _ => null,
    };

    private static int? PortNumber(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var port))
        {
            return null;
        }

        // {"$":8080,"@enabled":"true"}, or a bare number from lenient writers.
        var text = port.ValueKind == JsonValueKind.Object ? String(port, "$") : Text(port);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static bool? PortEnabled(JsonElement e, string name) =>
        e.TryGetProperty(name, out var port) && port.ValueKind == JsonValueKind.Object ? Bool(port, "@enabled") : null;

    // ---------------------------------------------------------------- writing

    public static byte[] InstanceDocument(InstanceInfo instance) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("instance");
        WriteInstance(w, instance);
        w.WriteEndObject();
    });

    public static byte[] ApplicationDocument(Application application) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("application");
        WriteApplication(w, application);
        w.WriteEndObject();
    });

    public static byte[] ApplicationsDocument(Applications applications) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("applications");
        WriteApplications(w, applications);
        w.WriteEndObject();
    });

    public static void WriteApplications(Utf8JsonWriter w, Applications applications)
    {
        w.WriteStartObject();
        w.WriteString("versions__delta", applications.VersionsDelta.ToString(CultureInfo.InvariantCulture));
        w.WriteString("apps__hashcode", applications.AppsHashCode);
        w.WriteStartArray("application");
        foreach (var application in applications.Items.Where(a => a.Instances.Count > 0))
        {
            WriteApplication(w, application);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteApplication(Utf8JsonWriter w, Application application)
    {
        w.WriteStartObject();
        w.WriteString("name", application.Name);
        w.WriteStartArray("instance");
        foreach (var instance in application.Instances)
        {
            WriteInstance(w, instance);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteInstance(Utf8JsonWriter w, InstanceInfo i)
    {
        w.WriteStartObject();
        w.WriteString("instanceId", i.InstanceId);
        w.WriteString("hostName", i.HostName);
        w.WriteString("app", i.App);
        w.WriteString("ipAddr", i.IpAddr);
        w.WriteString("status", i.Status.ToString());
        w.WriteString("overriddenStatus", i.OverriddenStatus.ToString());
        WritePort(w, "port", i.Port, i.PortEnabled);
        WritePort(w, "securePort", i.SecurePort, i.SecurePortEnabled);
        w.WriteNumber("countryId", i.CountryId);
        w.WriteStartObject("dataCenterInfo");
        w.WriteString("@class", i.DataCenterClass);
        w.WriteString("name", i.DataCenterName);
        w.WriteEndObject();
        w.WriteStartObject("leaseInfo");
        w.WriteNumber("renewalIntervalInSecs", i.LeaseInfo.RenewalIntervalInSecs);
        w.WriteNumber("durationInSecs", i.LeaseInfo.DurationInSecs);
        w.WriteNumber("registrationTimestamp", i.LeaseInfo.RegistrationTimestamp);
        w.WriteNumber("lastRenewalTimestamp", i.LeaseInfo.LastRenewalTimestamp);
        w.WriteNumber("evictionTimestamp", i.LeaseInfo.EvictionTimestamp);
        w.WriteNumber("serviceUpTimestamp", i.LeaseInfo.ServiceUpTimestamp);
        w.WriteEndObject();
        w.WriteStartObject("metadata");
        if (i.Metadata.Count == 0)
        {
            // What Java writes for an empty map; every reader we know accepts it.
            w.WriteString("@class", "java.util.Collections$EmptyMap");
        }

        foreach (var (key, value) in i.Metadata)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        WriteOptional(w, "homePageUrl", i.HomePageUrl);
        WriteOptional(w, "statusPageUrl", i.StatusPageUrl);
        WriteOptional(w, "healthCheckUrl", i.HealthCheckUrl);
        WriteOptional(w, "secureHealthCheckUrl", i.SecureHealthCheckUrl);
        WriteOptional(w, "vipAddress", i.VipAddress);
        WriteOptional(w, "secureVipAddress", i.SecureVipAddress);
        w.WriteString("isCoordinatingDiscoveryServer", i.IsCoordinatingDiscoveryServer ? "true" : "false");
        w.WriteString("lastUpdatedTimestamp", i.LastUpdatedTimestamp.ToString(CultureInfo.InvariantCulture));
        w.WriteString("lastDirtyTimestamp", i.LastDirtyTimestamp.ToString(CultureInfo.InvariantCulture));
        if (i.ActionType is { } action)
        {
            w.WriteString("actionType", action.ToString());
        }

        w.WriteEndObject();
    }

    private static void WritePort(Utf8JsonWriter w, string name, int port, bool enabled)
    {
        w.WriteStartObject(name);
        w.WriteNumber("$", port);
        w.WriteString("@enabled", enabled ? "true" : "false");
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
