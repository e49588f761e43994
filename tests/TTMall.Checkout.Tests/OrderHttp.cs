using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TTMall.Orders;
using TTMall.Orders.Data;

namespace TTMall.Checkout.Tests;

/// <summary>The orders API as a shopper's client calls it.</summary>
internal static class OrderHttp
{
    public const string Orders = "/api/orders";

    /// <summary>POST /api/orders with the body given and, unless null, the Idempotency-Key.</summary>
    public static Task<HttpResponseMessage> PlaceAsync(this HttpClient http, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Orders) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PlaceAsync(this TestShopper shopper, decimal? expectedTotal = null, string? key = null, Guid? addressId = null) =>
        shopper.Orders.PlaceAsync(new { addressId = addressId ?? shopper.AddressId, expectedTotal }, key ?? Guid.NewGuid().ToString());

    /// <summary>Places an order from the shopper's cart and expects 201; returns it.</summary>
    public static async Task<OrderDto> PlaceOkAsync(this TestShopper shopper, decimal? expectedTotal = null)
    {
        using var response = await shopper.PlaceAsync(expectedTotal);
        var order = await ReadAsync<OrderDto>(response, HttpStatusCode.Created);
        Assert.Equal($"/api/orders/{order.Id}", response.Headers.Location?.OriginalString);
        return order;
    }

    public static async Task<OrderDto> GetOrderAsync(this TestShopper shopper, Guid id)
    {
        using var response = await shopper.Orders.GetAsync($"{Orders}/{id}");
        return await ReadAsync<OrderDto>(response, HttpStatusCode.OK);
    }

    public static async Task<OrderPage> ListAsync(this TestShopper shopper, string query = "")
    {
        using var response = await shopper.Orders.GetAsync($"{Orders}{query}");
        return await ReadAsync<OrderPage>(response, HttpStatusCode.OK);
    }

    public static Task<HttpResponseMessage> CancelAsync(this TestShopper shopper, Guid id) =>
        shopper.Orders.PostAsync($"{Orders}/{id}/cancel", null);

    /// <summary>Waits until the order has <paramref name="status"/>; returns it.</summary>
    public static async Task<OrderDto> WaitForStatusAsync(this TestShopper shopper, Guid id, OrderStatus status)
    {
        OrderDto? last = null;
        await Eventually.HoldsAsync(
            async () => (last = await shopper.GetOrderAsync(id)).Status == status,
            TimeSpan.FromSeconds(30),
            $"order {id} is {status}",
            () => $"last seen: {last}");
        return last!;
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!;
    }
}
