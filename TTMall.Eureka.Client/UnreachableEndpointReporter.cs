using System.Net.Sockets;

namespace TTMall.Eureka.Client;

/// <summary>
/// Sits after service discovery has picked an instance: when the connection to it fails, or the request sent to it
/// gets no answer before the attempt is given up (a frozen or stalled instance), the instance is set aside at once
/// (<see cref="UnreachableInstances"/> probes it until it answers), so the retry and every later request go elsewhere.
/// </summary>
public sealed class UnreachableEndpointReporter(UnreachableInstances unreachable) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (IsConnectFailure(e) && request.RequestUri is { } uri)
        {
            unreachable.ReportUnreachable(uri.Host, uri.Port);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && request.RequestUri is { } uri)
        {
            // No response began before the attempt timed out (or its caller gave up: then the instance's health check
            // answers at the next probe and it is back within a quarter of a second).
            unreachable.ReportUnresponsive(uri.Host, uri.Port);
            throw;
        }
    }

    /// <summary>The connection was never made, so nothing of the request was sent: retrying it elsewhere is safe.</summary>
    public static bool IsConnectFailure(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
        || exception?.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
}
