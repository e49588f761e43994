using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;

namespace TTMall.Orders;

/// <summary>
/// GETs to the other services, found through discovery by name (<c>http://carts</c>, <c>http://users</c>,
/// <c>http://products</c>) with the standard resilience handler of every HttpClient. The shopper's own access token
/// is sent where the other service answers for the signed-in user: orders never acts as anyone but the caller.
/// </summary>
public sealed class ServiceReads(IHttpClientFactory clients, ILogger<ServiceReads> logger)
{
    public static readonly IReadOnlyList<string> Services = ["carts", "users", "products"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The body of <paramref name="service"/>'s 200 answer, or default when it answered 404.</summary>
    /// <param name="authorization">The caller's Authorization header, forwarded as it came; null for public resources.</param>
    /// <exception cref="DependencyUnavailableException"/>
    public async Task<T?> GetAsync<T>(string service, string path, string? authorization, CancellationToken cancellationToken)
        where T : class
    {
        var http = clients.CreateClient(service);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null && AuthenticationHeaderValue.TryParse(authorization, out var header))
        {
            request.Headers.Authorization = header;
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable(service, $"The {service} service answered {(int)response.StatusCode} to GET {path}.");
            }

            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw Unavailable(service, $"The {service} service answered GET {path} with null.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or ExecutionRejectedException or TimeoutException
            or OperationCanceledException or JsonException or NotSupportedException
            // Service discovery found no instance.
            or InvalidOperationException)
        {
            throw Unavailable(service, $"The {service} service did not answer GET {path}: {e.Message}", e);
        }
    }

    public static Uri BaseAddress(string service) => new($"http://{service}");

    private DependencyUnavailableException Unavailable(string service, string message, Exception? inner = null)
    {
        logger.LogWarning(inner, "{Message}", message);
        return new DependencyUnavailableException(service, message, inner);
    }
}
