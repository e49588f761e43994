using System.Net;
using System.Net.Http.Json;

namespace TTMall.PaymentProvider.Tests;

/// <summary>Requests to the provider as its callers send them.</summary>
internal static class ProviderApi
{
    public const string Good = "4242 4242 4242 4242";
    public const string Declined = "4000 0000 0000 0002";
    public const string Flaky = "4000 0000 0000 0119";

    /// <summary>A fresh reference, so each test finds only its own charges.</summary>
    public static string NewReference() => $"order-{Guid.NewGuid():N}";

    public static object Body(string reference, string number = Good, decimal amount = 12.34m, string expiry = "12/35", string cvc = "123", string currency = "CNY") =>
        new { amount, currency, card = new { number, expiry, cvc }, reference };

    public static HttpRequestMessage Post(string path, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> ChargeAsync(this HttpClient http, object body, string? key = null) =>
        await http.SendAsync(Post("/v1/charges", body, key ?? Guid.NewGuid().ToString()));

    /// <summary>A charge expected to succeed.</summary>
    public static async Task<ChargeDto> ChargedAsync(this HttpClient http, object body, string? key = null)
    {
        using var response = await http.ChargeAsync(body, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return (await response.Content.ReadFromJsonAsync<ChargeDto>())!;
    }

    public static async Task<HttpResponseMessage> RefundAsync(this HttpClient http, string charge, decimal? amount, string? key = null) =>
        await http.SendAsync(Post("/v1/refunds", new { charge, amount }, key ?? Guid.NewGuid().ToString()));

    public static async Task<IReadOnlyList<ChargeDto>> ChargesAsync(this HttpClient http, string reference) =>
        (await http.GetFromJsonAsync<ChargeList>($"/v1/charges?reference={Uri.EscapeDataString(reference)}"))!.Items;

    public static async Task SetLatencyAsync(this HttpClient http, int milliseconds)
    {
        using var response = await http.PutAsJsonAsync("/v1/sandbox/latency", new { milliseconds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
