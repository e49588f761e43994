using System.Globalization;
using System.Text.Json;
using TTMall.Eureka;

namespace TTMall.Discovery.Replication;

public static class ReplicationJson
{
    public static byte[] WriteBatch(IReadOnlyList<ReplicationItem> items)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, EurekaJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("replicationList");
            foreach (var item in items)
            {
                w.WriteStartObject();
                w.WriteString("appName", item.AppName);
                w.WriteString("id", item.Id);
                if (item.LastDirtyTimestamp is { } dirty)
                {
                    w.WriteNumber("lastDirtyTimestamp", dirty);
                }

                if (item.OverriddenStatus is { } overridden)
                {
                    w.WriteString("overriddenStatus", overridden.ToString());
                }

                if (item.Status is { } status)
                {
                    w.WriteString("status", status.ToString());
                }

                if (item.InstanceInfo is { } instance)
                {
                    w.WritePropertyName("instanceInfo");
                    EurekaJson.WriteInstance(w, instance);
                }

                w.WriteString("action", item.Action.ToString());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static IReadOnlyList<ReplicationItem> ReadBatch(JsonElement root)
    {
        if (!root.TryGetProperty("replicationList", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("replicationList is missing");
        }

        return [.. list.EnumerateArray().Select(e => new ReplicationItem(
            Action(Text(e, "action")),
            Text(e, "appName")?.ToUpperInvariant() ?? throw new JsonException("appName is missing"),
            Text(e, "id") ?? throw new JsonException("id is missing"),
            long.TryParse(Text(e, "lastDirtyTimestamp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var dirty) ? dirty : null,
            Text(e, "status") is { } status ? InstanceStatuses.Parse(status) : null,
            Text(e, "overriddenStatus") is { } overridden ? InstanceStatuses.Parse(overridden) : null,
            e.TryGetProperty("instanceInfo", out var instance) && instance.ValueKind == JsonValueKind.Object ? EurekaJson.ReadInstance(instance) : null))];
    }

    public static byte[] WriteResults(IReadOnlyList<ReplicationResult> results)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, EurekaJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("responseList");
            foreach (var result in results)
            {
                w.WriteStartObject();
                w.WriteNumber("statusCode", result.StatusCode);
                if (result.Entity is { } entity)
                {
                    w.WritePropertyName("responseEntity");
                    EurekaJson.WriteInstance(w, entity);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static IReadOnlyList<ReplicationResult> ReadResults(JsonElement root) =>
        root.TryGetProperty("responseList", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => new ReplicationResult(
                e.TryGetProperty("statusCode", out var code) && code.TryGetInt32(out var status) ? status : 0,
                e.TryGetProperty("responseEntity", out var entity) && entity.ValueKind == JsonValueKind.Object ? EurekaJson.ReadInstance(entity) : null))]
            : [];

    /// <summary>One action by its exact name: Enum.Parse would also take "1" or "Register, Cancel" (read as Cancel).</summary>
    private static ReplicationAction Action(string? text) =>
        Enum.GetValues<ReplicationAction>().Where(a => string.Equals(a.ToString(), text, StringComparison.OrdinalIgnoreCase)).Cast<ReplicationAction?>().FirstOrDefault()
        ?? throw new JsonException(text is null ? "action is missing" : "unknown action");

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
