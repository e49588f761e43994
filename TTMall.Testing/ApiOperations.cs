using System.Text.Json;

namespace TTMall.Testing;

/// <summary>A parameter of an operation: where it goes (path or query), and the JSON type its schema names.</summary>
public sealed record ApiParameter(string Name, string In, string Type, string? Format);

/// <summary>A property of a JSON request body, with the JSON type its schema names.</summary>
public sealed record ApiProperty(string Name, string Type, string? Format);

/// <summary>One operation of a service's API, as its OpenAPI document describes it.</summary>
/// <param name="Body">The properties of the JSON body it takes; null when it takes none.</param>
public sealed record ApiOperation(string Method, string PathTemplate, IReadOnlyList<ApiParameter> Parameters, IReadOnlyList<ApiProperty>? Body)
{
    public override string ToString() => $"{Method} {PathTemplate}";
}

/// <summary>Reads a service's operations from its OpenAPI document (/openapi/v1.json, OpenAPI 3.x as ASP.NET Core writes it).</summary>
public static class ApiOperations
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    public static async Task<IReadOnlyList<ApiOperation>> ReadAsync(HttpClient http, string path = "/openapi/v1.json")
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(path));
        return Read(document.RootElement);
    }

    public static IReadOnlyList<ApiOperation> Read(JsonElement document)
    {
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var common) ? Parameters(document, common) : [];
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var own) ? Parameters(document, own) : [];
                operations.Add(new ApiOperation(
                    operation.Name.ToUpperInvariant(), path.Name, [.. shared, .. parameters], Body(document, operation.Value)));
            }
        }

        return operations;
    }

    private static List<ApiParameter> Parameters(JsonElement document, JsonElement parameters) =>
        [.. parameters.EnumerateArray().Select(p => Resolve(document, p)).Select(p =>
        {
            var schema = p.TryGetProperty("schema", out var s) ? Resolve(document, s) : default;
            return new ApiParameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!, TypeOf(document, schema), FormatOf(schema));
        })];

    private static IReadOnlyList<ApiProperty>? Body(JsonElement document, JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var body))
        {
            return null;
        }

        body = Resolve(document, body);
        if (!body.TryGetProperty("content", out var content))
        {
            return [];
        }

        var json = content.EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.OrdinalIgnoreCase));
        if (json.Value.ValueKind != JsonValueKind.Object || !json.Value.TryGetProperty("schema", out var schema))
        {
            return [];
        }

        return [.. Properties(document, schema).DistinctBy(p => p.Name)];
    }

    /// <summary>An object's properties, also when it is one branch of a oneOf (an optional body is "null or the object").</summary>
    private static IEnumerable<ApiProperty> Properties(JsonElement document, JsonElement schema)
    {
        schema = Resolve(document, schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                var propertySchema = Resolve(document, property.Value);
                yield return new ApiProperty(property.Name, TypeOf(document, propertySchema), FormatOf(propertySchema));
            }
        }

        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var branches))
            {
                foreach (var property in branches.EnumerateArray().SelectMany(b => Properties(document, b)))
                {
                    yield return property;
                }
            }
        }
    }

    /// <summary>
    /// The JSON type a client should send. OpenAPI 3.1 lists several ("integer" and "string" for a number the server
    /// also reads from a string, "null" for an optional one): a number wins over a string, and null never does.
    /// </summary>
    private static string TypeOf(JsonElement document, JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "string";
        }

        schema = Resolve(document, schema);
        var types = new List<string>();
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else if (type.ValueKind == JsonValueKind.Array)
            {
                types.AddRange(type.EnumerateArray().Select(t => t.GetString()!));
            }
        }

        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var choices))
            {
                types.AddRange(choices.EnumerateArray().Select(c => TypeOf(document, c)));
            }
        }

        if (schema.TryGetProperty("enum", out _) && types.Count == 0)
        {
            types.Add("string");
        }

        foreach (var preferred in new[] { "integer", "number", "boolean", "object", "array", "string" })
        {
            if (types.Contains(preferred))
            {
                return preferred;
            }
        }

        return "string";
    }

    private static string? FormatOf(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var format) ? format.GetString() : null;

    private static JsonElement Resolve(JsonElement document, JsonElement element)
    {
        for (var hops = 0; hops < 16 && element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference); hops++)
        {
            var target = document;
            foreach (var part in reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target.GetProperty(part.Replace("~1", "/").Replace("~0", "~"));
            }

            element = target;
        }

        return element;
    }
}
