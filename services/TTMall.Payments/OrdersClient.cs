using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TTMall.Payments;

/// <summary>
/// Orders as their owner sees them (<c>GET http://orders/api/orders/{id}</c> through discovery, with the shopper's own
/// token), so an order that is not the shopper's is simply not found: payments never decides ownership itself.
/// </summary>
public sealed class OrdersClient(HttpClient http)
{
    public const string HttpClientName = "orders";
    public static readonly Uri BaseAddress = new("http://orders");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <returns>null when the shopper has no such order.</returns>
    /// <exception cref="OrdersUnavailableException"/>
    public async Task<PayableOrder?> GetAsync(Guid orderId, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{orderId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new OrdersUnavailableException($"The orders service answered {(int)response.StatusCode}.");
            }

            var order = await response.Content.ReadFromJsonAsync<PayableOrder>(Json, cancellationToken);
            return order is { Id: var id, Status.Length: > 0, Total: > 0 } && id == orderId
                ? order
                : throw new OrdersUnavailableException("The orders service answered with an order payments cannot read.");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OrdersUnavailableException("The orders service did not answer.", e);
        }
    }
}
