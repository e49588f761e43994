using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using TTMall.Discovery.Registry;
using TTMall.Eureka;

namespace TTMall.Discovery;

/// <summary>The page people read at <c>/</c>: every application and instance with status and lease age, like Eureka's own.</summary>
public static class StatusPage
{
    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Render).ExcludeFromDescription();
        return app;
    }

    private static IResult Render(InstanceRegistry registry, IOptions<DiscoveryOptions> options, TimeProvider time, HttpContext context)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var applications = registry.Applications();
        var (renewals, expected) = registry.RenewalsPerMinute();
        var html = new StringBuilder();
        html.Append("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
            <title>TT Mall discovery</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
            th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}th{background:#f3f3f3}
            .UP{color:#080}.DOWN,.OUT_OF_SERVICE{color:#b00}.STARTING,.UNKNOWN{color:#a60}</style></head><body>
            """);
        html.Append($"<h1>TT Mall discovery</h1><p>This peer: {E(context.Request.Host.ToString())} · peers: ");
        html.Append(options.Value.Peers.Count == 0 ? "none" : string.Join(", ", options.Value.Peers.Select(p => E(p.ToString()))));
        html.Append($" · self-preservation: {(options.Value.SelfPreservation ? (registry.SelfPreservationActive() ? "<b>ACTIVE</b> (not evicting)" : "on") : "off")}");
        html.Append($" · renewals in the last minute: {renewals} of {expected} expected</p>");
        html.Append($"<h2>Instances currently registered ({applications.Sum(a => a.Instances.Count)})</h2>");
        html.Append("<table><tr><th>Application</th><th>Instance</th><th>Status</th><th>Address</th><th>Lease age</th><th>Up for</th></tr>");
        foreach (var application in applications)
        {
            foreach (var instance in application.Instances.OrderBy(i => i.InstanceId, StringComparer.Ordinal))
            {
                var status = instance.Status.ToString();
                var overridden = instance.OverriddenStatus != InstanceStatus.UNKNOWN ? $" (override {instance.OverriddenStatus})" : "";
                html.Append($"<tr><td>{E(application.Name)}</td><td>{E(instance.InstanceId)}</td><td class=\"{status}\">{status}{overridden}</td>");
                html.Append($"<td>{E(instance.BaseUri?.ToString() ?? "")}</td><td>{Seconds(now - instance.LeaseInfo.LastRenewalTimestamp)}</td>");
                html.Append($"<td>{(instance.LeaseInfo.ServiceUpTimestamp > 0 ? Seconds(now - instance.LeaseInfo.ServiceUpTimestamp) : "—")}</td></tr>");
            }
        }

        html.Append("</table><p>Eureka REST API: <a href=\"/eureka/apps\">/eureka/apps</a> · <a href=\"/eureka/apps/delta\">/eureka/apps/delta</a></p></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static string Seconds(long milliseconds) => $"{Math.Max(0, milliseconds) / 1000.0:F1} s";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
