using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace TTMall.Discovery.Tests.Support;

/// <summary>
/// Speaks Eureka's REST protocol to one server under one prefix ("eureka/" or "eureka/v2/"), the way clients
/// and peers do. Methods that return a response leave the asserting to the test; the *OkAsync ones assert success.
/// Writes carry, by default, the credential of the application their path names, and the peers' credential with the
/// replication header, as the rightful owners send them; <see cref="As"/> makes a client that sends another one (or none).
/// </summary>
public sealed class EurekaTestClient(Uri eurekaUri, Func<string, bool, AuthenticationHeaderValue?>? credential = null) : IDisposable
{
    public const string ReplicationHeader = "x-netflix-discovery-replication";

    private readonly Func<string, bool, AuthenticationHeaderValue?> _credential = credential ?? TestDiscovery.Owner;

    // A deadline, not an expectation: a fresh server's first answers on a loaded machine (JIT) can take seconds.
    public HttpClient Http { get; } = new() { BaseAddress = eurekaUri, Timeout = TimeSpan.FromSeconds(30) };

    public static EurekaTestClient For(DiscoveryPeer peer, string prefix = "eureka/") => new(new Uri(peer.BaseUri, prefix));

    /// <summary>A client of the same server that sends <paramref name="credential"/> (null: none) with every request.</summary>
    public EurekaTestClient As(AuthenticationHeaderValue? credential) => new(Http.BaseAddress!, (_, _) => credential);


    // ---------------------------------------------------------------- writes

    public Task<HttpResponseMessage> RegisterAsync(JsonObject instance, string? pathApp = null, bool replication = false) =>
        PostAsync($"apps/{E(pathApp ?? (string)instance["app"]!)}", InstanceJson.Document(instance), replication);

    public async Task RegisterOkAsync(JsonObject instance, bool replication = false)
    {
        using var response = await RegisterAsync(instance, replication: replication);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent,
            $"register of {instance["instanceId"]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public Task<HttpResponseMessage> PostAsync(string path, string body, bool replication = false, string contentType = "application/json") =>
        SendAsync(HttpMethod.Post, path, replication, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>PUT apps/{app}/{id}; <paramref name="query"/> like "?status=UP&amp;lastDirtyTimestamp=1".</summary>
    public Task<HttpResponseMessage> HeartbeatAsync(string app, string id, string query = "", bool replication = false) =>
        SendAsync(HttpMethod.Put, $"apps/{E(app)}/{E(id)}{query}", replication);

    public async Task HeartbeatOkAsync(string app, string id, string query = "")
    {
        using var response = await HeartbeatAsync(app, id, query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public Task<HttpResponseMessage> CancelAsync(string app, string id, bool replication = false) =>
        SendAsync(HttpMethod.Delete, $"apps/{E(app)}/{E(id)}", replication);

    public Task<HttpResponseMessage> OverrideStatusAsync(string app, string id, string value) =>
        SendAsync(HttpMethod.Put, $"apps/{E(app)}/{E(id)}/status?value={E(value)}");

    public Task<HttpResponseMessage> DeleteOverrideAsync(string app, string id, string query = "") =>
        SendAsync(HttpMethod.Delete, $"apps/{E(app)}/{E(id)}/status{query}");

    public Task<HttpResponseMessage> UpdateMetadataAsync(string app, string id, string query) =>
        SendAsync(HttpMethod.Put, $"apps/{E(app)}/{E(id)}/metadata{query}");

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, bool replication = false, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = method == HttpMethod.Get && !replication ? null : _credential(path, replication);
        if (replication)
        {
            request.Headers.Add(ReplicationHeader, "true");
        }

        return await Http.SendAsync(request);
    }

    // ---------------------------------------------------------------- reads

    /// <summary>GETs a JSON document, asserting 200 and a JSON content type.</summary>
    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    /// <summary>The instance as GET apps/{app}/{id} returns it, or null on 404.</summary>
    public async Task<JsonObject?> InstanceOrNullAsync(string app, string id)
    {
        using var response = await Http.GetAsync($"apps/{E(app)}/{E(id)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["instance"]!.AsObject();
    }

    public async Task<JsonObject> InstanceAsync(string app, string id) =>
        await InstanceOrNullAsync(app, id) ?? throw new Xunit.Sdk.XunitException($"{app}/{id} is not registered");

    /// <summary>The "applications" object of GET apps (or apps/delta, vips/…).</summary>
    public async Task<JsonObject> ApplicationsAsync(string path = "apps") => (await GetJsonAsync(path))["applications"]!.AsObject();

    /// <summary>Whether the full registry (GET apps) lists this instance.</summary>
    public async Task<bool> ListsAsync(string id) => Envelope.Instances(await ApplicationsAsync()).Any(i => (string?)i["instanceId"] == id);

    public void Dispose() => Http.Dispose();

    private static string E(string segment) => Uri.EscapeDataString(segment);
}

/// <summary>Reading {"applications":{…}} documents strictly: arrays where Eureka's writers put arrays.</summary>
public static class Envelope
{
    public static IReadOnlyList<JsonObject> Applications(JsonObject applications) =>
        [.. applications["application"]!.AsArray().Select(a => a!.AsObject())];

    public static IReadOnlyList<JsonObject> Instances(JsonObject applications) =>
        [.. Applications(applications).SelectMany(a => a["instance"]!.AsArray()).Select(i => i!.AsObject())];

    public static JsonObject Instance(JsonObject applications, string id) =>
        Instances(applications).SingleOrDefault(i => (string?)i["instanceId"] == id)
        ?? throw new Xunit.Sdk.XunitException($"{id} is not in {applications.ToJsonString()}");
}
