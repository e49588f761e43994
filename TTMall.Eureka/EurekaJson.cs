using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TTMall.Eureka;

/// <summary>
/// Eureka's JSON, read leniently and written strictly. Readers take what Netflix's Java client, Steeltoe and
/// eureka-js-client send: "$"/"@enabled" and timestamps as strings, numbers or booleans, <c>overriddenstatus</c>
/// in its legacy spelling, a single object where an array is usual, unknown fields. Writers emit what all of
/// them read: arrays always, strings where Java writes strings, numbers where it writes numbers.
/// What is read is untrusted: a document is either read whole or refused with a <see cref="JsonException"/> (never
/// another exception, never half of it), and text that is not valid Unicode is read as it is spelled, for
/// <see cref="InstanceRules"/> to judge, rather than making the whole document unreadable.
/// </summary>
public static class EurekaJson
{
    /// <summary>
    /// How every registry document and replication batch is written. Text goes out as it came in (no \u003C for '&lt;'),
    /// so an instance is as many bytes in a peer's batch as it was when its size was checked on arrival.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // ---------------------------------------------------------------- reading

    /// <summary>The largest registry document a reader takes; a server is no more trusted than its clients.</summary>
    public const long MaxDocumentBytes = 16 * 1024 * 1024;

    /// <summary>Parses a response's JSON body, refusing (JsonException) one beyond <paramref name="maxBytes"/> before it is all in memory.</summary>
    public static async Task<JsonDocument> ParseAsync(HttpContent content, CancellationToken cancellationToken, long maxBytes = MaxDocumentBytes)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            throw new JsonException($"the document is {content.Headers.ContentLength} bytes; at most {maxBytes} are read");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new JsonException($"the document is larger than {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Reads <c>{"instance":{…}}</c> or a bare instance object.</summary>
    public static InstanceInfo ReadInstanceDocument(JsonElement root) =>
        ReadInstance(TryGet(root, "instance", out var inner) ? inner : root);

    public static InstanceInfo ReadInstance(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("an instance must be a JSON object");
        }

        var hostName = String(e, "hostName") ?? "";
        var metadata = new Dictionary<string, string>();
        if (TryGet(e, "metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in meta.EnumerateObject())
            {
                var key = Name(property);
                if (key != "@class")
                {
                    metadata[key] = Text(property.Value) ?? "";
                }
            }
        }

        TryGet(e, "dataCenterInfo", out var dataCenter);
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
            LeaseInfo = TryGet(e, "leaseInfo", out var lease) && lease.ValueKind == JsonValueKind.Object ? ReadLease(lease) : new LeaseInfo(),
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
        ReadApplication(TryGet(root, "application", out var inner) ? inner : root);

    public static Application ReadApplication(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object
            ? new(String(e, "name") ?? "", [.. OneOrMany(e, "instance").Select(ReadInstance)])
            : throw new JsonException("an application must be a JSON object");

    /// <summary>
    /// Reads <c>{"applications":{…}}</c>, the full registry or a delta. A document of another shape is refused, not read
    /// as an empty registry: taken for the whole registry, that would leave a reader with nothing to route to.
    /// </summary>
    public static Applications ReadApplicationsDocument(JsonElement root)
    {
        var e = TryGet(root, "applications", out var inner) ? inner : root;
        // Every writer we know sends "application" (an empty list when nothing is registered); eureka-js-client too
        // keeps its last registry when it is missing.
        if (e.ValueKind != JsonValueKind.Object || !TryGet(e, "application", out _))
        {
            throw new JsonException("a registry document must be {\"applications\":{\"application\":[…]}}");
        }

        return new Applications(
            [.. OneOrMany(e, "application").Select(ReadApplication)],
            String(e, "apps__hashcode") ?? "",
            Long(e, "versions__delta") ?? 0);
    }

    /// <summary>An array of objects, or one object standing for a one-element array; anything else is refused.</summary>
    private static IEnumerable<JsonElement> OneOrMany(JsonElement e, string name)
    {
        if (!TryGet(e, name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.Array => [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object
                ? item
                : throw new JsonException($"\"{name}\" must list JSON objects, not {item.ValueKind}"))],
            JsonValueKind.Object => [value],
            _ => throw new JsonException($"\"{name}\" must be a list of JSON objects or one object, not {value.ValueKind}"),
        };
    }

    /// <summary>
    /// The value of property <paramref name="name"/> of an object (the last one, when a name is repeated). Not
    /// JsonElement.TryGetProperty: it throws when it meets a name that is not valid Unicode on its way.
    /// </summary>
    private static bool TryGet(JsonElement e, string name, out JsonElement value)
    {
        value = default;
        if (e.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var found = false;
        foreach (var property in e.EnumerateObject())
        {
            if (NameIs(property, name))
            {
                value = property.Value;
                found = true;
            }
        }

        return found;
    }

    private static bool NameIs(JsonProperty property, string name)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Contains((byte)'\\'))
        {
            return AsSpelled(raw) == name;
        }

        if (raw.Length != name.Length)
        {
            return false;
        }

        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != name[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Name(JsonProperty property) => AsSpelled(JsonMarshal.GetRawUtf8PropertyName(property));

    /// <summary>
    /// A JSON string's text as it is spelled, escapes undone, whether or not it is valid Unicode: a lone surrogate
    /// (<c>\ud800</c>) is kept, bytes that are not UTF-8 become U+FFFD. System.Text.Json refuses to read such a string
    /// (InvalidOperationException), and one bad string must not make a whole document unreadable; what it means for
    /// an instance is for <see cref="InstanceRules"/> to say.
    /// </summary>
    private static string AsSpelled(ReadOnlySpan<byte> raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        if (!text.Contains('\\'))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }

            var escaped = text[++i];
            if (escaped == 'u' && i + 4 < text.Length
                && ushort.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                result.Append((char)code);
                i += 4;
            }
            else
            {
                result.Append(escaped switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escaped });
            }
        }

        return result.ToString();
    }

    private static string? String(JsonElement e, string name) =>
        TryGet(e, name, out var value) ? Text(value) : null;

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => StringText(value),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string StringText(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Not valid Unicode: the raw value is the string in its quotes.
            return AsSpelled(JsonMarshal.GetRawUtf8Value(value)[1..^1]);
        }
    }

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
        if (!TryGet(e, name, out var port))
        {
            return null;
        }

        // {"$":8080,"@enabled":"true"}, or a bare number from lenient writers.
        var text = port.ValueKind == JsonValueKind.Object ? String(port, "$") : Text(port);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static bool? PortEnabled(JsonElement e, string name) =>
        TryGet(e, name, out var port) && port.ValueKind == JsonValueKind.Object ? Bool(port, "@enabled") : null;

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
