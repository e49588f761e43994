using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using TTMall.Discovery.Registry;
using TTMall.Discovery.Replication;
using TTMall.Eureka;

namespace TTMall.Discovery;

/// <summary>
/// The Eureka REST API, under /eureka and /eureka/v2. Writes answer with status codes only (Java clients read any
/// heartbeat body as an instance), reads with JSON (gzipped when asked). A client's writes are forwarded to the
/// peers; a peer's (marked by the replication header) are not. Who may write what: <see cref="DiscoveryAccess"/>.
/// </summary>
public static class EurekaApi
{
    private const string Json = "application/json";

    /// <summary>
    /// A write and the state it sends to the peers are one step: two writes on one instance at once (a client's
    /// heartbeat and its status update, say) reach the peers in the order they were made here, or the peers would end
    /// up holding different statuses for it.
    /// </summary>
    private static readonly Lock WriteOrder = new();

    public static IEndpointRouteBuilder MapEurekaApi(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/eureka", "/eureka/v2" })
        {
            var eureka = app.MapGroup(prefix).WithTags("Eureka").AddEndpointFilter(BarePlainErrors).AddEndpointFilter(DiscoveryAccess.Authorize);

            eureka.MapPost("/apps/{app}", RegisterAsync);
            eureka.MapPut("/apps/{app}/{id}", Heartbeat);
            eureka.MapDelete("/apps/{app}/{id}", Cancel);
            eureka.MapGet("/apps", (HttpContext context, InstanceRegistry registry) => Document(context, registry.Full()));
            eureka.MapGet("/apps/delta", (HttpContext context, InstanceRegistry registry) => Document(context, registry.Delta()));
            eureka.MapGet("/apps/{app}", GetApplication);
            eureka.MapGet("/apps/{app}/{id}", (string app, string id, InstanceRegistry registry) => InstanceResult(registry.Instance(app.ToUpperInvariant(), id)));
            eureka.MapGet("/instances/{id}", (string id, InstanceRegistry registry) => InstanceResult(registry.Instance(id)));
            eureka.MapGet("/vips/{vip}", (string vip, InstanceRegistry registry) => ApplicationsResult(registry.ByVip(vip, secure: false)));
            eureka.MapGet("/svips/{svip}", (string svip, InstanceRegistry registry) => ApplicationsResult(registry.ByVip(svip, secure: true)));
            eureka.MapPut("/apps/{app}/{id}/status", StatusUpdate);
            eureka.MapDelete("/apps/{app}/{id}/status", DeleteStatusOverride);
            eureka.MapPut("/apps/{app}/{id}/metadata", UpdateMetadata);
            eureka.MapPost("/peerreplication/batch", ReplicationBatchAsync);
        }

        return app;
    }

    private static async Task<IResult> RegisterAsync(string app, HttpContext context, RegistryOperations operations, PeerReplicator replicator, RegistrationLimits limits)
    {
        if (DiscoveryAccess.NotJson(context.Request) is { } notJson)
        {
            return notJson;
        }

        if (!limits.TryAcquire(fromPeer: IsReplication(context)))
        {
            context.Response.Headers.RetryAfter = "1";
            return Text(429, "Too many registrations; try again in a second.");
        }

        InstanceInfo instance;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            instance = EurekaJson.ReadInstanceDocument(document.RootElement);
        }
        // InvalidOperationException: a string that is not valid UTF-8, which the parser lets through until it is read.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Text(400, $"Malformed instance JSON: {e.Message}");
        }
        // A body beyond MaxRequestBodyBytes: Kestrel's own status (413), not the exception handler's 500.
        catch (BadHttpRequestException e)
        {
            return Text(e.StatusCode, e.Message);
        }

        var appName = app.ToUpperInvariant();
        if (Validate(instance, appName) is { } problem)
        {
            return Text(400, problem);
        }

        if (DiscoveryAccess.CallerOf(context) is { IsPeer: false } && DiscoveryAccess.ForeignClaim(instance, appName, operations.Registry) is { } claim)
        {
            return Results.Problem(statusCode: 403, title: "Forbidden", detail: $"Registration refused: {claim}.");
        }

        var item = new ReplicationItem(ReplicationAction.Register, appName, instance.InstanceId, instance.LastDirtyTimestamp, InstanceInfo: instance with { App = appName });
        lock (WriteOrder)
        {
            var result = operations.Execute(item, IsReplication(context));
            if (result.StatusCode != 204)
            {
                return Text(result.StatusCode, result.StatusCode == 507 ? $"Registration refused: {result.Reason}." : $"Invalid instance: {result.Reason}.");
            }

            Forward(context, replicator, operations, item, ReplicationAction.Register);
        }
        return Results.StatusCode(204);
    }

    /// <summary>Why Eureka would refuse this registration, or null.</summary>
    public static string? Validate(InstanceInfo instance, string appInPath)
    {
        if (string.IsNullOrWhiteSpace(instance.InstanceId))
        {
            return "Missing instanceId";
        }

        if (string.IsNullOrWhiteSpace(instance.HostName))
        {
            return "Missing hostname";
        }

        if (string.IsNullOrWhiteSpace(instance.IpAddr))
        {
            return "Missing ip address";
        }

        if (string.IsNullOrWhiteSpace(instance.App))
        {
            return "Missing appName";
        }

        if (!string.Equals(instance.App, appInPath, StringComparison.OrdinalIgnoreCase))
        {
            return $"Mismatched appName, expecting {appInPath} but was {instance.App}";
        }

        if (string.IsNullOrWhiteSpace(instance.DataCenterName))
        {
            return "Missing dataCenterInfo Name";
        }

        return null;
    }

    private static IResult Heartbeat(string app, string id, HttpContext context, RegistryOperations operations, PeerReplicator replicator,
        string? status = null, string? lastDirtyTimestamp = null, string? overriddenstatus = null, string? overriddenStatus = null)
    {
        // An empty or unknown status word (clients fill in "?status=&…") is no news, not UNKNOWN: the instance keeps its status.
        var item = new ReplicationItem(
            ReplicationAction.Heartbeat, app.ToUpperInvariant(), id,
            long.TryParse(lastDirtyTimestamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var dirty) ? dirty : null,
            InstanceStatuses.TryParse(status, out var reported) ? reported : null,
            (overriddenstatus ?? overriddenStatus) is { } overridden ? InstanceStatuses.Parse(overridden) : null);
        ReplicationResult result;
        lock (WriteOrder)
        {
            result = operations.Execute(item, IsReplication(context));
            if (result.StatusCode == 200)
            {
                Forward(context, replicator, operations, item, ReplicationAction.Heartbeat);
            }
        }

        return result is { StatusCode: 409, Entity: { } stored }
            ? new JsonBytesResult(EurekaJson.InstanceDocument(stored), 409)
            : Results.StatusCode(result.StatusCode);
    }

    private static IResult Cancel(string app, string id, HttpContext context, RegistryOperations operations, PeerReplicator replicator)
    {
        var item = new ReplicationItem(ReplicationAction.Cancel, app.ToUpperInvariant(), id);
        lock (WriteOrder)
        {
            var result = operations.Execute(item, IsReplication(context));
            if (result.StatusCode == 200 && !IsReplication(context))
            {
                replicator.Enqueue(item);
            }

            return Results.StatusCode(result.StatusCode);
        }
    }

    private static IResult StatusUpdate(string app, string id, HttpContext context, RegistryOperations operations, PeerReplicator replicator, string? value = null)
    {
        if (!InstanceStatuses.TryParse(value, out var status))
        {
            return Results.StatusCode(400);
        }

        var item = new ReplicationItem(ReplicationAction.StatusUpdate, app.ToUpperInvariant(), id, Status: status);
        lock (WriteOrder)
        {
            var result = operations.Execute(item, IsReplication(context));
            if (result.StatusCode == 200 && !IsReplication(context) && operations.Registry.Instance(item.AppName, id) is { } stored)
            {
                replicator.Enqueue(item with { LastDirtyTimestamp = stored.LastDirtyTimestamp });
            }

            return Results.StatusCode(result.StatusCode);
        }
    }

    private static IResult DeleteStatusOverride(string app, string id, HttpContext context, RegistryOperations operations, PeerReplicator replicator, string? value = null)
    {
        var item = new ReplicationItem(ReplicationAction.DeleteStatusOverride, app.ToUpperInvariant(), id,
            Status: InstanceStatuses.TryParse(value, out var status) ? status : null);
        lock (WriteOrder)
        {
            var result = operations.Execute(item, IsReplication(context));
            // The status we now show goes along: the peer's idea of the instance's own status may be the override it
            // learnt from replicated heartbeats and registrations, which carry the effective status.
            if (result.StatusCode == 200 && !IsReplication(context) && operations.Registry.Instance(item.AppName, id) is { } stored)
            {
                replicator.Enqueue(item with { LastDirtyTimestamp = stored.LastDirtyTimestamp, Status = stored.Status });
            }

            return Results.StatusCode(result.StatusCode);
        }
    }

    private static IResult UpdateMetadata(string app, string id, HttpContext context, InstanceRegistry registry, PeerReplicator replicator)
    {
        var entries = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        var appName = app.ToUpperInvariant();
        lock (WriteOrder)
        {
            var (outcome, reason) = registry.UpdateMetadata(appName, id, entries);
            if (outcome != MetadataOutcome.Updated)
            {
                return outcome == MetadataOutcome.NotFound ? Results.StatusCode(404) : Text(400, $"Metadata refused: {reason}.");
            }

            // Peers learn metadata the way Eureka's do: the whole instance, registered again.
            if (!IsReplication(context) && registry.Instance(appName, id) is { } stored)
            {
                replicator.Enqueue(ReplicationItem.From(ReplicationAction.Register, stored));
            }
        }

        return Results.StatusCode(200);
    }

    private static IResult GetApplication(string app, InstanceRegistry registry) =>
        registry.Application(app.ToUpperInvariant()) is { } application
            ? Results.Bytes(EurekaJson.ApplicationDocument(application), Json)
            : Results.StatusCode(404);

    private static async Task<IResult> ReplicationBatchAsync(HttpContext context, RegistryOperations operations, RegistrationLimits limits)
    {
        if (!IsReplication(context))
        {
            return Results.Problem(statusCode: 403, title: "Forbidden", detail: "Replication is accepted from peers only, with the replication header.");
        }

        if (DiscoveryAccess.NotJson(context.Request) is { } notJson)
        {
            return notJson;
        }

        IReadOnlyList<ReplicationItem> items;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            items = ReplicationJson.ReadBatch(document.RootElement);
        }
        // InvalidOperationException: an item that is no object, or a string that is not valid UTF-8.
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return Text(400, $"Malformed replication batch: {e.Message}");
        }
        catch (BadHttpRequestException e)
        {
            return Text(e.StatusCode, e.Message);
        }

        // A peer's registration is checked like a client's (Java's peers do too), and counted against the peers' own
        // budget: beyond it the item is 429 and the peer sends it again after a pause.
        var results = items.Select(item => item switch
        {
            { Action: ReplicationAction.Register, InstanceInfo: { } instance } when Validate(instance, item.AppName) is not null => new ReplicationResult(400),
            { Action: ReplicationAction.Register } when !limits.TryAcquire(fromPeer: true) => new ReplicationResult(429),
            _ => operations.Execute(item, isReplication: true) switch
            {
                { StatusCode: 204 } => new ReplicationResult(200),
                var result => result,
            },
        }).ToList();
        return Results.Bytes(ReplicationJson.WriteResults(results), Json);
    }

    /// <summary>After a client's successful write, tells the peers, with the instance as now stored.</summary>
    private static void Forward(HttpContext context, PeerReplicator replicator, RegistryOperations operations, ReplicationItem item, ReplicationAction action)
    {
        if (!IsReplication(context) && operations.Registry.Instance(item.AppName, item.Id) is { } stored)
        {
            replicator.Enqueue(ReplicationItem.From(action, stored));
        }
    }

    private static IResult Document(HttpContext context, RegistryDocument document)
    {
        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.Headers.Vary = "Accept-Encoding";
            return Results.Bytes(document.Gzip, Json);
        }

        return Results.Bytes(document.Json, Json);
    }

    private static IResult InstanceResult(InstanceInfo? instance) =>
        instance is null ? Results.StatusCode(404) : Results.Bytes(EurekaJson.InstanceDocument(instance), Json);

    private static IResult ApplicationsResult(IReadOnlyList<Application> applications) =>
        Results.Bytes(EurekaJson.ApplicationsDocument(new Applications(applications, AppsHashCode.Compute(applications.SelectMany(a => a.Instances)), 1)), Json);

    /// <summary>A peer's write (the header counts only with the peer's credential, see <see cref="DiscoveryAccess"/>): applied as it is and not forwarded again.</summary>
    private static bool IsReplication(HttpContext context) =>
        string.Equals(context.Request.Headers[PeerReplicator.ReplicationHeader], "true", StringComparison.OrdinalIgnoreCase);

    private sealed class JsonBytesResult(byte[] body, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = Json;
            return httpContext.Response.Body.WriteAsync(body).AsTask();
        }
    }

    private static IResult Text(int status, string message) => Results.Text(message, "text/plain", statusCode: status);

    /// <summary>Eureka errors carry no body (or a short text); the mall's problem-details pages must not fill one in.</summary>
    private static ValueTask<object?> BarePlainErrors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }

        return next(context);
    }
}
