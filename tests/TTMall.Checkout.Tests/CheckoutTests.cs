using System.Net;
using TTMall.Orders;
using TTMall.Orders.Data;

namespace TTMall.Checkout.Tests;

/// <summary>
/// The checkout as a shopper goes through it, every step the real service's: the cart, the order, products reserving
/// the stock, payments charging the card at the provider, orders hearing of it; and the ways it ends otherwise.
/// </summary>
[Collection(CheckoutCollection.Name)]
public sealed class CheckoutTests(CheckoutMall mall)
{
    [Fact]
    public async Task A_shopper_orders_from_the_cart_and_pays_with_a_card_and_the_order_is_paid()
    {
        using var shopper = await mall.NewShopperAsync();
        var product = await mall.Catalog.AddAsync(123.45m, stock: 10);
        await shopper.Cart.AddOkAsync(product, 2);

        var order = await shopper.PlaceOkAsync();
        Assert.Equal(246.90m, order.Total);
        var awaiting = await shopper.WaitForStatusAsync(order.Id, OrderStatus.AwaitingPayment);
        Assert.NotNull(awaiting.PaymentDeadline);
        Assert.Equal(8, await mall.StockAsync(product));

        var payment = await shopper.PayOkAsync(order.Id);

        Assert.Equal((order.Id, 246.90m, "succeeded", "4242"), (payment.OrderId, payment.Amount, payment.Status, payment.CardLast4));
        var paid = await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
        Assert.NotNull(paid.PaidAt);
        Assert.Equal([payment.Id], (await shopper.PaymentsOfAsync(order.Id)).Select(p => p.Id));
        var charge = Assert.Single(await mall.ChargesAsync(order.Id));
        Assert.Equal(("succeeded", 246.90m, 0m), (charge.Status, charge.Amount, charge.Refunded));
        Assert.Equal(8, await mall.StockAsync(product));
    }

    [Fact]
    public async Task A_declined_card_is_a_402_the_order_still_awaits_payment_and_another_card_pays_it()
    {
        var (shopper, order, _) = await AwaitingPaymentAsync();
        using var owned = shopper;

        using var declined = await shopper.PayAsync(order.Id, PaymentHttp.DeclinedCard);

        await ProblemAssert.CodeAsync(declined, HttpStatusCode.PaymentRequired, "card_declined");
        await Eventually.HoldsAsync(async () => (await shopper.GetOrderAsync(order.Id)).PaymentFailure is not null,
            TimeSpan.FromSeconds(30), "the order shows why its payment failed");
        Assert.Equal(OrderStatus.AwaitingPayment, (await shopper.GetOrderAsync(order.Id)).Status);
        Assert.Equal(["failed"], (await shopper.PaymentsOfAsync(order.Id)).Select(p => p.Status));

        var payment = await shopper.PayOkAsync(order.Id);

        Assert.Equal("succeeded", payment.Status);
        var paid = await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
        Assert.Null(paid.PaymentFailure);
        Assert.Equal(["succeeded", "failed"], (await shopper.PaymentsOfAsync(order.Id)).Select(p => p.Status));
        Assert.Equal(["failed", "succeeded"], (await mall.ChargesAsync(order.Id)).Select(c => c.Status));
    }

    [Fact]
    public async Task A_card_the_network_fails_on_transiently_is_charged_once_and_the_order_is_paid()
    {
        var (shopper, order, _) = await AwaitingPaymentAsync();
        using var owned = shopper;
        var key = Guid.NewGuid().ToString();

        // The provider fails twice before it charges: payments asks again; should it give up first, the shopper's
        // client sends the same request again, as it is meant to.
        HttpStatusCode status = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                using var response = await shopper.PayAsync(order.Id, PaymentHttp.FlakyCard, key);
                status = response.StatusCode;
                Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Accepted, $"{(int)status}: {await response.Content.ReadAsStringAsync()}");
                return status == HttpStatusCode.Created;
            },
            TimeSpan.FromSeconds(30), "the payment is made", () => $"last answer: {(int)status}");

        await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
        var charge = Assert.Single(await mall.ChargesAsync(order.Id));
        Assert.Equal(("succeeded", order.Total), (charge.Status, charge.Amount));
        Assert.Equal(["succeeded"], (await shopper.PaymentsOfAsync(order.Id)).Select(p => p.Status));
    }

    [Fact]
    public async Task An_order_products_cannot_reserve_is_cancelled_naming_the_product_and_cannot_be_paid()
    {
        var name = $"限量款 {Guid.NewGuid():N}";

        var (shopper, order, product) = await mall.RejectedOrderAsync(name);
        using var owned = shopper;

        Assert.Contains(name, order.CancelReason);
        Assert.Null(order.PaymentDeadline);
        // The one reserved order holds both units; the rejected ones took nothing.
        Assert.Equal(0, await mall.StockAsync(product));
        using var pay = await shopper.PayAsync(order.Id);
        await ProblemAssert.StatusAsync(pay, HttpStatusCode.Conflict);
        Assert.Empty(await mall.ChargesAsync(order.Id));
        Assert.Empty(await shopper.PaymentsOfAsync(order.Id));
    }

    [Fact]
    public async Task An_order_not_paid_by_the_deadline_is_cancelled_and_its_stock_comes_back()
    {
        await mall.WithPaymentDeadlineAsync(TimeSpan.FromSeconds(3), async () =>
        {
            // Awaiting payment: products holds the two units (its stock is not read here, the deadline being so near).
            var (shopper, order, product) = await AwaitingPaymentAsync(stock: 7, quantity: 2);
            using var owned = shopper;

            var cancelled = await shopper.WaitForStatusAsync(order.Id, OrderStatus.Cancelled);

            Assert.Equal(OrderTransitions.PaymentDeadlinePassed, cancelled.CancelReason);
            await mall.WaitForStockAsync(product, 7);
            using var late = await shopper.PayAsync(order.Id);
            await ProblemAssert.StatusAsync(late, HttpStatusCode.Conflict);
            Assert.Empty(await mall.ChargesAsync(order.Id));
        });
    }

    [Fact]
    public async Task The_owner_cancelling_a_paid_order_is_refunded_at_the_provider_and_the_stock_comes_back()
    {
        var (shopper, order, product) = await AwaitingPaymentAsync(stock: 10, quantity: 3);
        using var owned = shopper;
        await shopper.PayOkAsync(order.Id);
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
        Assert.Equal(7, await mall.StockAsync(product));

        using var response = await shopper.CancelAsync(order.Id);

        Assert.Equal(OrderStatus.Cancelled, (await OrderHttp.ReadAsync<OrderDto>(response, HttpStatusCode.OK)).Status);
        await Eventually.HoldsAsync(
            async () => (await shopper.PaymentsOfAsync(order.Id)).Single() is { Status: "refunded", RefundedAt: not null },
            TimeSpan.FromSeconds(30), "the payment is refunded");
        var charge = Assert.Single(await mall.ChargesAsync(order.Id));
        Assert.Equal((order.Total, order.Total), (charge.Amount, charge.Refunded));
        await mall.WaitForStockAsync(product, 10);
        Assert.Equal(OrderStatus.Cancelled, (await shopper.GetOrderAsync(order.Id)).Status);
    }

    /// <summary>A new shopper's order of <paramref name="quantity"/> of a new product, its stock reserved by products.</summary>
    private async Task<(TestShopper Shopper, OrderDto Order, int Product)> AwaitingPaymentAsync(int stock = 100, int quantity = 1)
    {
        var shopper = await mall.NewShopperAsync();
        var product = await mall.Catalog.AddAsync(49.99m, stock);
        await shopper.Cart.AddOkAsync(product, quantity);
        var order = await shopper.PlaceOkAsync();
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.AwaitingPayment);
        return (shopper, order, product);
    }
}
