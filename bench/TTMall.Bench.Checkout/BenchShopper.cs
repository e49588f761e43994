using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TTMall.Testing.Shop;

namespace TTMall.Bench.Checkout;

/// <summary>
/// A signed-up, signed-in shopper with an address, and clients of carts, orders and payments that send their access
/// token, buying one product again and again: a line in the cart, the order placed, paid with the provider's good
/// test card, each step as the shop's pages take it.
/// </summary>
public sealed class BenchShopper(Guid addressId, int productId, HttpClient carts, HttpClient orders, HttpClient payments) : IDisposable
{
    /// <summary>The provider's test card that is always charged (services/TTMall.PaymentProvider/README.md).</summary>
    public const string GoodCard = "4242 4242 4242 4242";

    /// <summary>A checkout not Paid within this long counts as failed.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    /// <summary>The first checkout of a run: every service JIT-compiles its path, and their buses may still be binding queues.</summary>
    public static readonly TimeSpan FirstGiveUpAfter = TimeSpan.FromSeconds(120);

    /// <summary>Clients of the services, sharing <paramref name="handler"/>'s connections, each sending <paramref name="accessToken"/>.</summary>
    public static BenchShopper Create(
        HttpMessageHandler handler, string accessToken, Guid addressId, int productId, Uri carts, Uri orders, Uri payments)
    {
        HttpClient Client(Uri service)
        {
            var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = service, Timeout = FirstGiveUpAfter };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            return http;
        }

        return new BenchShopper(addressId, productId, Client(carts), Client(orders), Client(payments));
    }

    /// <summary>
    /// One checkout: the product put in the cart (PUT, quantity 1: a line left by the last order, which carts removes
    /// when it hears of it, is not doubled), then — timed from here — the order placed, its status polled every
    /// <paramref name="poll"/> until stock is reserved (awaitingPayment), the payment made, and the status polled until Paid.
    /// </summary>
    /// <param name="giveUpAfter"><see cref="GiveUpAfter"/> when null.</param>
    /// <returns>From submit to awaitingPayment observed, and to Paid observed.</returns>
    /// <exception cref="CheckoutFailedException">A step was refused, the order was cancelled, or it was not Paid in time.</exception>
    public async Task<(TimeSpan Reserved, TimeSpan Paid)> CheckoutAsync(TimeSpan poll, CancellationToken cancellationToken, TimeSpan? giveUpAfter = null)
    {
        using (var line = await carts.SetAsync(productId, 1))
        {
            await ExpectAsync(line, "cart line", HttpStatusCode.OK, HttpStatusCode.Created);
        }

        var submitted = Stopwatch.GetTimestamp();
        Guid orderId;
        using (var place = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId }) })
        {
            place.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());
            using var placed = await orders.SendAsync(place, cancellationToken);
            orderId = (await ExpectAsync(placed, "order", HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }

        var limit = giveUpAfter ?? GiveUpAfter;
        await WaitForStatusAsync(orderId, "awaitingPayment", submitted, poll, limit, cancellationToken);
        var reserved = Stopwatch.GetElapsedTime(submitted);
        using (var pay = new HttpRequestMessage(HttpMethod.Post, "/api/payments")
        {
            Content = JsonContent.Create(new { orderId, card = new { number = GoodCard, expiry = "12/39", cvc = "123" } }),
        })
        {
            pay.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());
            using var paid = await payments.SendAsync(pay, cancellationToken);
            await ExpectAsync(paid, "payment", HttpStatusCode.Created, HttpStatusCode.Accepted);
        }

        await WaitForStatusAsync(orderId, "paid", submitted, poll, limit, cancellationToken);
        return (reserved, Stopwatch.GetElapsedTime(submitted));
    }

    private async Task WaitForStatusAsync(Guid orderId, string status, long submitted, TimeSpan poll, TimeSpan giveUpAfter, CancellationToken cancellationToken)
    {
        while (true)
        {
            using (var response = await orders.GetAsync($"/api/orders/{orderId}", cancellationToken))
            {
                var order = await ExpectAsync(response, "order status", HttpStatusCode.OK);
                var now = order.GetProperty("status").GetString();
                if (string.Equals(now, status, StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }

                if (string.Equals(now, "cancelled", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CheckoutFailedException($"order {orderId} was cancelled: {order}");
                }
            }

            if (Stopwatch.GetElapsedTime(submitted) > giveUpAfter)
            {
                throw new CheckoutFailedException($"order {orderId} was not {status} within {giveUpAfter.TotalSeconds:0} s");
            }

            await Task.Delay(poll, cancellationToken);
        }
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, string what, params HttpStatusCode[] expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!expected.Contains(response.StatusCode))
        {
            throw new CheckoutFailedException($"{what}: {(int)response.StatusCode} {body}");
        }

        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public void Dispose()
    {
        carts.Dispose();
        orders.Dispose();
        payments.Dispose();
    }
}
