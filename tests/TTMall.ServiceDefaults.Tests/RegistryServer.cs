using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TTMall.Eureka;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>
/// What a test does on a discovery server directly, by the Eureka REST API: look at an instance, forget one,
/// override a status, register one by hand. Everything our client does goes through the client instead.
/// </summary>
internal static class RegistryServer
{
    /// <summary>Self-preservation off and eviction every 200 ms, so a lease of 3 s ends within 3.2 s.</summary>
    public static readonly string[] FastEviction = ["--Discovery:SelfPreservation=false", "--Discovery:EvictionIntervalMs=200"];

    private static readonly HttpClient Http = CreateHttp();

    public static async Task<InstanceInfo?> InstanceAsync(this DiscoveryPeer peer, string app, string id)
    {
        using var response = await Http.GetAsync(new Uri(peer.EurekaUri, $"apps/{app}/{Uri.EscapeDataString(id)}"));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return EurekaJson.ReadInstanceDocument(document.RootElement);
    }

    public static async Task<Applications> AppsAsync(this DiscoveryPeer peer)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri(peer.EurekaUri, "apps")));
        return EurekaJson.ReadApplicationsDocument(document.RootElement);
    }

    /// <summary>The server's recent changes (deleted instances keep their lease times there).</summary>
    public static async Task<Applications> DeltaAsync(this DiscoveryPeer peer)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri(peer.EurekaUri, "apps/delta")));
        return EurekaJson.ReadApplicationsDocument(document.RootElement);
    }

    /// <summary>Registers an instance as its own client would, without any heartbeat after.</summary>
    public static async Task RegisterAsync(this DiscoveryPeer peer, InstanceInfo instance)
    {
        using var content = new ByteArrayContent(EurekaJson.InstanceDocument(instance)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using var response = await Http.PostAsync(new Uri(peer.EurekaUri, $"apps/{instance.App}"), content);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>The server forgets the instance, as if it had been cancelled (its own client is not told).</summary>
    public static async Task ForgetAsync(this DiscoveryPeer peer, string app, string id)
    {
        using var response = await Http.DeleteAsync(new Uri(peer.EurekaUri, $"apps/{app}/{Uri.EscapeDataString(id)}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task OverrideStatusAsync(this DiscoveryPeer peer, string app, string id, InstanceStatus status)
    {
        using var response = await Http.PutAsync(new Uri(peer.EurekaUri, $"apps/{app}/{Uri.EscapeDataString(id)}/status?value={status}"), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task RemoveStatusOverrideAsync(this DiscoveryPeer peer, string app, string id)
    {
        using var response = await Http.DeleteAsync(new Uri(peer.EurekaUri, $"apps/{app}/{Uri.EscapeDataString(id)}/status"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>An instance as a hand-written registration: UP on localhost, VIP the lower-case app name.</summary>
    public static InstanceInfo Instance(string app, string id, int port, int leaseSeconds = 60) => new()
    {
        InstanceId = id,
        App = app.ToUpperInvariant(),
        HostName = "localhost",
        IpAddr = "127.0.0.1",
        Port = port,
        VipAddress = app.ToLowerInvariant(),
        SecureVipAddress = app.ToLowerInvariant(),
        LeaseInfo = new LeaseInfo { RenewalIntervalInSecs = 30, DurationInSecs = leaseSeconds },
        LastDirtyTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
    };

    private static HttpClient CreateHttp()
    {
        // Writes as the application they name would send them.
        var http = new HttpClient(new OwnerCredentialHandler(new HttpClientHandler())) { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }
}

/// <summary>One discovery server for a whole test class, for tests that neither kill it nor depend on its being empty.</summary>
public sealed class SharedDiscoveryPeer : IAsyncLifetime
{
    private DiscoveryPeer? _peer;

    public DiscoveryPeer Peer => _peer ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _peer = await DiscoveryPeer.StartAsync(null, RegistryServer.FastEviction);

    public async Task DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }
}
