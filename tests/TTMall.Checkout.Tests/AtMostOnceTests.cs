using System.Net;
using System.Net.Http.Headers;
using TTMall.Orders;
using TTMall.Orders.Data;
using TTMall.Payments;

namespace TTMall.Checkout.Tests;

/// <summary>An order is charged at most once, however often and however the shopper's client sends its payment.</summary>
[Collection(CheckoutCollection.Name)]
public sealed class AtMostOnceTests(CheckoutMall mall)
{
    [Fact]
    public async Task The_same_payment_five_times_at_once_with_one_key_is_one_charge()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await shopper.PayAsync(order.Id, key: key);
            return await OrderHttp.ReadAsync<PaymentDto>(response, HttpStatusCode.Created);
        }));

        Assert.Single(answers.Select(a => a.Id).Distinct());
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
        Assert.Single(await mall.ChargesAsync(order.Id));
        Assert.Single(await shopper.PaymentsOfAsync(order.Id));
    }

    [Fact]
    public async Task The_same_payment_five_times_at_once_with_five_keys_is_one_201_four_409s_and_one_charge()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;

        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await shopper.PayAsync(order.Id);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                await ProblemAssert.StatusAsync(response, HttpStatusCode.Conflict);
            }

            return response.StatusCode;
        }));

        Assert.Equal([HttpStatusCode.Created, .. Enumerable.Repeat(HttpStatusCode.Conflict, 4)], statuses.Order());
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
        Assert.Single(await mall.ChargesAsync(order.Id));
        Assert.Equal(["succeeded"], (await shopper.PaymentsOfAsync(order.Id)).Select(p => p.Status));
    }

    [Fact]
    public async Task A_provider_slower_than_payments_waits_leaves_the_payment_pending_and_it_is_settled_with_one_charge()
    {
        // A replica that waits one second for the provider, which takes three.
        await using var impatient = mall.StartPayments(TimeSpan.FromSeconds(1));
        var settled = await PendingThenSettledAsync(impatient, repeat: false);
        Assert.Equal("succeeded", settled.Status);
    }

    [Fact]
    public async Task A_pending_payment_sent_again_with_the_same_key_is_answered_with_the_one_charge()
    {
        await using var impatient = mall.StartPayments(TimeSpan.FromSeconds(1));
        var settled = await PendingThenSettledAsync(impatient, repeat: true);
        Assert.Equal("succeeded", settled.Status);
    }

    /// <summary>
    /// Pays a new order through <paramref name="payments"/> while the provider is slow: 202 pending. Then, the provider
    /// quick again, waits for the order to be paid, sending the same request again first when <paramref name="repeat"/>.
    /// </summary>
    private async Task<PaymentDto> PendingThenSettledAsync(MallServiceHost<TTMall.Payments.Data.PaymentsDbContext> payments, bool repeat)
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        using var client = payments.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", shopper.Token);
        var slow = shopper with { Payments = client };
        var key = Guid.NewGuid().ToString();
        PaymentDto pending;
        await mall.SetProviderLatencyAsync(3000);
        try
        {
            using var response = await slow.PayAsync(order.Id, key: key);
            pending = await OrderHttp.ReadAsync<PaymentDto>(response, HttpStatusCode.Accepted);
        }
        finally
        {
            await mall.SetProviderLatencyAsync(0);
        }

        Assert.Equal("pending", pending.Status);
        // The provider did charge: payments did not wait to hear it.
        await Eventually.HoldsAsync(async () => (await mall.ChargesAsync(order.Id)).Count == 1,
            TimeSpan.FromSeconds(30), "the provider has charged the card");

        if (repeat)
        {
            // Sent again until answered in time (or settled meanwhile): always the same payment.
            PaymentDto? made = null;
            await Eventually.HoldsAsync(
                async () =>
                {
                    using var again = await slow.PayAsync(order.Id, key: key);
                    Assert.True(again.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"{(int)again.StatusCode}");
                    made = await OrderHttp.ReadAsync<PaymentDto>(again, again.StatusCode);
                    Assert.Equal(pending.Id, made.Id);
                    return again.StatusCode == HttpStatusCode.Created;
                },
                TimeSpan.FromSeconds(30), "the payment sent again is answered with its charge");
            Assert.Equal("succeeded", made!.Status);
        }

        await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
        var payment = Assert.Single(await shopper.PaymentsOfAsync(order.Id));
        Assert.Equal(pending.Id, payment.Id);
        Assert.Single(await mall.ChargesAsync(order.Id));
        return payment;
    }

    private async Task<(TestShopper Shopper, OrderDto Order)> AwaitingPaymentAsync()
    {
        var shopper = await mall.NewShopperAsync();
        await shopper.Cart.AddOkAsync(await mall.Catalog.AddAsync(77.70m), 1);
        var order = await shopper.PlaceOkAsync();
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.AwaitingPayment);
        return (shopper, order);
    }
}
