using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TTMall.Payments;

namespace TTMall.Checkout.Tests;

/// <summary>The payments API as a shopper's client calls it, and the provider's books as the card network keeps them.</summary>
internal static class PaymentHttp
{
    public const string Payments = "/api/payments";

    /// <summary>The provider's test cards (services/TTMall.PaymentProvider/README.md).</summary>
    public const string GoodCard = "4242 4242 4242 4242";
    public const string DeclinedCard = "4000 0000 0000 0002";
    public const string FlakyCard = "4000 0000 0000 0119";

    public static object Card(string number = GoodCard) => new { number, expiry = "12/39", cvc = "123" };

    /// <summary>POST /api/payments for <paramref name="orderId"/> with <paramref name="card"/> and the Idempotency-Key (a new one when null).</summary>
    public static Task<HttpResponseMessage> PayAsync(this TestShopper shopper, Guid orderId, string number = GoodCard, string? key = null) =>
        shopper.PayAsync(new { orderId, card = Card(number) }, key ?? Guid.NewGuid().ToString());

    public static Task<HttpResponseMessage> PayAsync(this TestShopper shopper, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Payments) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return shopper.Payments.SendAsync(request);
    }

    /// <summary>Pays and expects 201; returns the payment.</summary>
    public static async Task<PaymentDto> PayOkAsync(this TestShopper shopper, Guid orderId, string number = GoodCard)
    {
        using var response = await shopper.PayAsync(orderId, number);
        return await OrderHttp.ReadAsync<PaymentDto>(response, HttpStatusCode.Created);
    }

    /// <summary>The shopper's payments of the order, newest first.</summary>
    public static async Task<List<PaymentDto>> PaymentsOfAsync(this TestShopper shopper, Guid orderId)
    {
        using var response = await shopper.Payments.GetAsync($"{Payments}?orderId={orderId}");
        return await OrderHttp.ReadAsync<List<PaymentDto>>(response, HttpStatusCode.OK);
    }

    /// <summary>The provider's charges with the order as their reference, oldest first.</summary>
    public static async Task<List<ProviderCharge>> ChargesAsync(this CheckoutMall mall, Guid orderId)
    {
        using var http = mall.ProviderClient();
        using var response = await http.GetAsync($"/v1/charges?reference={orderId}");
        return (await OrderHttp.ReadAsync<ProviderChargeList>(response, HttpStatusCode.OK)).Items;
    }

    /// <summary>Makes the provider wait <paramref name="milliseconds"/> after recording a charge or refund before it answers.</summary>
    public static async Task SetProviderLatencyAsync(this CheckoutMall mall, int milliseconds)
    {
        using var http = mall.ProviderClient();
        using var response = await http.PutAsJsonAsync("/v1/sandbox/latency", new { milliseconds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The product's stock as the products service serves it.</summary>
    public static async Task<int?> StockAsync(this CheckoutMall mall, int productId)
    {
        using var http = mall.ProductsClient();
        using var response = await http.GetAsync($"/api/products/{productId}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("stock").GetInt32();
    }

    /// <summary>Waits until the products service serves <paramref name="stock"/> for the product.</summary>
    public static async Task WaitForStockAsync(this CheckoutMall mall, int productId, int stock)
    {
        int? last = null;
        await Eventually.HoldsAsync(async () => (last = await mall.StockAsync(productId)) == stock,
            TimeSpan.FromSeconds(30), $"product {productId} has stock {stock}", () => $"last seen: {last}");
    }
}
