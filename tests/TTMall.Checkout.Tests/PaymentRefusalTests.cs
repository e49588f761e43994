using System.Net;
using TTMall.Orders;
using TTMall.Orders.Data;

namespace TTMall.Checkout.Tests;

/// <summary>Each payment refused before any card is charged: its problem, and nothing changed anywhere.</summary>
[Collection(CheckoutCollection.Name)]
public sealed class PaymentRefusalTests(CheckoutMall mall)
{
    [Fact]
    public async Task Paying_someone_elses_order_is_404_and_changes_nothing()
    {
        var (owner, order) = await AwaitingPaymentAsync();
        using var owned = owner;
        using var other = await mall.NewShopperAsync("other");

        using var response = await other.PayAsync(order.Id);

        await ProblemAssert.StatusAsync(response, HttpStatusCode.NotFound);
        await NothingChangedAsync(owner, order.Id, OrderStatus.AwaitingPayment);
        Assert.Empty(await other.PaymentsOfAsync(order.Id));
    }

    [Fact]
    public async Task Paying_a_cancelled_order_is_409_and_changes_nothing()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        using (var cancel = await shopper.CancelAsync(order.Id))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        using var response = await shopper.PayAsync(order.Id);

        await ProblemAssert.StatusAsync(response, HttpStatusCode.Conflict);
        await NothingChangedAsync(shopper, order.Id, OrderStatus.Cancelled);
    }

    [Fact]
    public async Task Paying_a_paid_order_again_is_409_and_charges_nothing_more()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        var payment = await shopper.PayOkAsync(order.Id);
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);

        using var response = await shopper.PayAsync(order.Id);

        await ProblemAssert.StatusAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(OrderStatus.Paid, (await shopper.GetOrderAsync(order.Id)).Status);
        Assert.Equal([payment.Id], (await shopper.PaymentsOfAsync(order.Id)).Select(p => p.Id));
        Assert.Single(await mall.ChargesAsync(order.Id));
    }

    [Fact]
    public async Task A_malformed_card_is_a_400_naming_each_wrong_field_and_changes_nothing()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;

        using var response = await shopper.PayAsync(
            new { orderId = order.Id, card = new { number = "4242 4242 4242 4241", expiry = "13/30", cvc = "12" } }, Guid.NewGuid().ToString());

        await ProblemAssert.FieldErrorsAsync(response, "card.number", "card.expiry", "card.cvc");
        await NothingChangedAsync(shopper, order.Id, OrderStatus.AwaitingPayment);
    }

    /// <summary>The order is still <paramref name="status"/>, with no payment recorded and no charge at the provider.</summary>
    private async Task NothingChangedAsync(TestShopper owner, Guid orderId, OrderStatus status)
    {
        var order = await owner.GetOrderAsync(orderId);
        Assert.Equal((status, null), (order.Status, order.PaymentFailure));
        Assert.Empty(await owner.PaymentsOfAsync(orderId));
        Assert.Empty(await mall.ChargesAsync(orderId));
    }

    private async Task<(TestShopper Shopper, OrderDto Order)> AwaitingPaymentAsync()
    {
        var shopper = await mall.NewShopperAsync();
        await shopper.Cart.AddOkAsync(await mall.Catalog.AddAsync(15m), 1);
        var order = await shopper.PlaceOkAsync();
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.AwaitingPayment);
        return (shopper, order);
    }
}
