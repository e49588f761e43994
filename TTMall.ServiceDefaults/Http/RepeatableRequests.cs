using Microsoft.AspNetCore.Http;
using TTMall.Eureka.Client;

namespace TTMall.ServiceDefaults.Http;

/// <summary>
/// Which requests may be sent a second time, to another instance, when the first attempt got no answer: the one rule
/// for the service-to-service HttpClients (their retries) and the gateway (its second destination).
/// <list type="bullet">
/// <item>Any request whose connection was never made: nothing of it was sent (<see cref="NothingWasSent"/>).</item>
/// <item>A request with an idempotent method (RFC 9110: GET, HEAD, OPTIONS, TRACE, PUT, DELETE), whose effect is the
/// same however often it arrives, or one carrying an <see cref="IdempotencyKeyHeader"/>: its sender declares a repeat
/// safe, and the services that create orders and money answer a repeated key with the first result.</item>
/// </list>
/// A read (<see cref="IsRead"/>) changes nothing, so it may also be abandoned while its first attempt is still unanswered
/// and sent elsewhere at once: whether the first is ever answered does not matter.
/// </summary>
public static class RepeatableRequests
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static bool MayRepeat(HttpRequestMessage? request) =>
        request is not null && (IsIdempotent(request.Method.Method) || request.Headers.Contains(IdempotencyKeyHeader));

    public static bool MayRepeat(HttpRequest request) =>
        IsIdempotent(request.Method) || request.Headers.ContainsKey(IdempotencyKeyHeader);

    /// <summary>GET or HEAD: reads nothing is changed by.</summary>
    public static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    /// <summary>The connection was never made, so nothing of the request was sent: sending it elsewhere is safe, whatever it is.</summary>
    public static bool NothingWasSent(Exception? exception) => UnreachableEndpointReporter.IsConnectFailure(exception);

    private static bool IsIdempotent(string method) =>
        IsRead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);
}
