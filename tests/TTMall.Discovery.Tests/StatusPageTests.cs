using System.Text.RegularExpressions;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>The page people read at /: every application and instance with its status and lease age.</summary>
public sealed class StatusPageTests(DiscoveryServerFixture server) : IClassFixture<DiscoveryServerFixture>
{
    [Fact]
    public async Task The_status_page_is_html_listing_each_instance_with_its_status_and_lease_age()
    {
        using var eureka = server.Client();
        var (app, up, down) = (Unique.App(), Unique.Id(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, up));
        await eureka.RegisterOkAsync(InstanceJson.Create(app, down, status: "DOWN"));
        (await eureka.OverrideStatusAsync(app, up, "OUT_OF_SERVICE")).Dispose();

        using var response = await eureka.Http.GetAsync(server.Peer.BaseUri);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!doctype html>", html.TrimStart(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Lease age", html);
        Assert.Matches(RowPattern(app, up, "OUT_OF_SERVICE"), html);
        Assert.Matches(RowPattern(app, down, "DOWN"), html);
    }

    [Fact]
    public async Task The_status_page_shows_a_growing_lease_age_that_a_heartbeat_resets()
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        // Aged well past what a heartbeat and a page read take on a busy machine, so the reset is unmistakable.
        var aged = 0.0;
        await Eventually.HoldsAsync(async () => (aged = await LeaseAgeAsync(eureka, app, id)) >= 5.0, Deadlines.Background, "the lease age grows");
        await eureka.HeartbeatOkAsync(app, id);
        var renewed = await LeaseAgeAsync(eureka, app, id);

        Assert.InRange(renewed, 0.0, aged - 3.0);
    }

    [Fact]
    public async Task An_id_that_would_be_markup_is_refused_and_never_reaches_the_page()
    {
        using var eureka = server.Client();
        var app = Unique.App();
        var hostile = $"<script>alert('{Unique.Id()}')</script>";
        using var refused = await eureka.RegisterAsync(InstanceJson.Create(app, hostile));
        var id = Unique.Id();
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        var html = await eureka.Http.GetStringAsync(server.Peer.BaseUri);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(id, html);
        Assert.DoesNotContain("<script>", html);
    }

    private async Task<double> LeaseAgeAsync(EurekaTestClient eureka, string app, string id)
    {
        var html = await eureka.Http.GetStringAsync(server.Peer.BaseUri);
        var row = Regex.Match(html, RowPattern(app, id, "UP"));
        Assert.True(row.Success, html);
        return double.Parse(row.Groups["age"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One table row: application, instance, status, address, then the lease age in seconds.</summary>
    private static string RowPattern(string app, string id, string status) =>
        $"<tr><td>{Regex.Escape(app)}</td><td>{Regex.Escape(id)}</td><td[^>]*>{status}[^<]*</td><td>[^<]*</td><td>(?<age>\\d+(\\.\\d+)?) s</td>";
}
