using System.Net;
using Microsoft.EntityFrameworkCore;
using TTMall.Contracts;
using TTMall.Orders;
using TTMall.Orders.Data;

namespace TTMall.Checkout.Tests;

/// <summary>
/// The order's life, driven by the events products and payments publish: products' own, and more put on the real bus
/// here, as a redelivery, a late or a second event would arrive; and what orders publishes in turn, read from the bus.
/// Events come twice or late: a stale one changes nothing.
/// </summary>
[Collection(CheckoutCollection.Name)]
public sealed class TransitionTests(CheckoutMall mall)
{
    /// <summary>How long to give an event that should change nothing to have (wrongly) changed something.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Stock_reserved_awaits_payment_until_the_deadline_and_a_repeat_changes_nothing()
    {
        var (shopper, order) = await PlacedAsync();
        using var owned = shopper;

        // Products reserves the stock itself.
        var awaiting = await shopper.WaitForStatusAsync(order.Id, OrderStatus.AwaitingPayment);
        Assert.InRange(awaiting.PaymentDeadline!.Value, DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(15.1));

        // The event sent again as a new message, and that message redelivered: the deadline stays where it was.
        var again = await mall.Bus.PublishAsync(new StockReserved(order.Id));
        await mall.Bus.PublishAsync(new StockReserved(order.Id), again);
        await Task.Delay(Settle);
        Assert.Equal(awaiting.PaymentDeadline, (await shopper.GetOrderAsync(order.Id)).PaymentDeadline);
    }

    [Fact]
    public async Task A_successful_payment_pays_the_order_once()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        var payment = new PaymentSucceeded(Guid.NewGuid(), order.Id, shopper.Id, order.Total);
        var messageId = await mall.Bus.PublishAsync(payment);

        var paid = await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
        Assert.NotNull(paid.PaidAt);
        var published = await mall.Bus.WaitForAsync<OrderPaid>(e => e.OrderId == order.Id);
        Assert.Equal(new OrderPaid(order.Id, shopper.Id, payment.PaymentId, order.Total), published);

        await mall.Bus.PublishAsync(payment, messageId);
        await mall.Bus.PublishAsync(payment);
        await Task.Delay(Settle);
        Assert.Single(mall.Bus.Seen<OrderPaid>(e => e.OrderId == order.Id));
        Assert.Empty(mall.Bus.Seen<PaymentRefundRequested>(e => e.OrderId == order.Id));
    }

    [Fact]
    public async Task A_second_payment_for_a_paid_order_is_sent_back()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        await mall.Bus.PublishAsync(new PaymentSucceeded(Guid.NewGuid(), order.Id, shopper.Id, order.Total));
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);

        var second = new PaymentSucceeded(Guid.NewGuid(), order.Id, shopper.Id, order.Total);
        await mall.Bus.PublishAsync(second);

        var refund = await mall.Bus.WaitForAsync<PaymentRefundRequested>(e => e.PaymentId == second.PaymentId);
        Assert.Equal(order.Id, refund.OrderId);
        Assert.Equal(OrderStatus.Paid, (await shopper.GetOrderAsync(order.Id)).Status);
        Assert.Single(mall.Bus.Seen<OrderPaid>(e => e.OrderId == order.Id));
    }

    [Fact]
    public async Task A_payment_of_another_amount_is_sent_back_and_the_order_still_awaits_payment()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        var wrong = new PaymentSucceeded(Guid.NewGuid(), order.Id, shopper.Id, order.Total - 0.01m);

        await mall.Bus.PublishAsync(wrong);

        await mall.Bus.WaitForAsync<PaymentRefundRequested>(e => e.PaymentId == wrong.PaymentId);
        Assert.Equal(OrderStatus.AwaitingPayment, (await shopper.GetOrderAsync(order.Id)).Status);
        Assert.Empty(mall.Bus.Seen<OrderPaid>(e => e.OrderId == order.Id));
    }

    [Fact]
    public async Task A_failed_payment_leaves_the_order_awaiting_payment_with_the_reason_and_it_can_still_be_paid()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        await mall.Bus.PublishAsync(new PaymentFailed(Guid.NewGuid(), order.Id, shopper.Id, "Card declined: insufficient funds"));

        await Eventually.HoldsAsync(
            async () => (await shopper.GetOrderAsync(order.Id)).PaymentFailure == "Card declined: insufficient funds",
            TimeSpan.FromSeconds(15), "the order shows why its payment failed");
        Assert.Equal(OrderStatus.AwaitingPayment, (await shopper.GetOrderAsync(order.Id)).Status);

        await mall.Bus.PublishAsync(new PaymentSucceeded(Guid.NewGuid(), order.Id, shopper.Id, order.Total));
        var paid = await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
        Assert.Null(paid.PaymentFailure);
    }

    [Fact]
    public async Task Stock_rejected_cancels_a_submitted_order_naming_the_products_and_a_late_reservation_changes_nothing()
    {
        var name = $"秒杀商品 {Guid.NewGuid():N}";
        // Products rejects the order itself.
        var (shopper, order, product) = await mall.RejectedOrderAsync(name);
        using var owned = shopper;

        var cancelled = await shopper.WaitForStatusAsync(order.Id, OrderStatus.Cancelled);
        Assert.Contains(name, cancelled.CancelReason);

        await mall.Bus.PublishAsync(new StockReserved(order.Id));
        await mall.Bus.PublishAsync(new PaymentFailed(Guid.NewGuid(), order.Id, shopper.Id, "late"));
        await Task.Delay(Settle);
        var after = await shopper.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Cancelled, null, null), (after.Status, after.PaymentDeadline, after.PaymentFailure));
        Assert.Equal(0, await mall.StockAsync(product));
    }

    [Fact]
    public async Task A_rejection_after_the_reservation_changes_nothing()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;

        await mall.Bus.PublishAsync(new StockRejected(order.Id, [order.Lines[0].ProductId], "late"));
        await Task.Delay(Settle);

        Assert.Equal(OrderStatus.AwaitingPayment, (await shopper.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task The_deadline_passing_cancels_the_order_and_releases_the_stock()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        // Fifteen minutes is too long to wait for: the deadline is moved to the past, as if they had passed.
        await mall.InOrdersAsync(db => db.Orders.Where(o => o.Id == order.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.PaymentDeadline, DateTimeOffset.UtcNow.AddSeconds(-1))));

        var cancelled = await shopper.WaitForStatusAsync(order.Id, OrderStatus.Cancelled);
        Assert.Equal(OrderTransitions.PaymentDeadlinePassed, cancelled.CancelReason);
        var published = await mall.Bus.WaitForAsync<OrderCancelled>(e => e.OrderId == order.Id);
        Assert.False(published.WasPaid);
        Assert.Equal(shopper.Id, published.UserId);
        Assert.Equal(order.Lines.Select(l => (l.ProductId, l.Quantity)), published.Lines.Select(l => (l.ProductId, l.Quantity)));

        // Paid too late: the money goes back, the order stays cancelled.
        var late = new PaymentSucceeded(Guid.NewGuid(), order.Id, shopper.Id, order.Total);
        await mall.Bus.PublishAsync(late);
        await mall.Bus.WaitForAsync<PaymentRefundRequested>(e => e.PaymentId == late.PaymentId);
        Assert.Equal(OrderStatus.Cancelled, (await shopper.GetOrderAsync(order.Id)).Status);
        Assert.Single(mall.Bus.Seen<OrderCancelled>(e => e.OrderId == order.Id));
    }

    [Fact]
    public async Task The_owner_cancels_an_order_awaiting_payment_once_however_often_they_ask()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;

        using var response = await shopper.CancelAsync(order.Id);
        var cancelled = await OrderHttp.ReadAsync<OrderDto>(response, HttpStatusCode.OK);

        Assert.Equal((OrderStatus.Cancelled, OrderTransitions.CancelledByShopper), (cancelled.Status, cancelled.CancelReason));
        Assert.False((await mall.Bus.WaitForAsync<OrderCancelled>(e => e.OrderId == order.Id)).WasPaid);

        using var again = await shopper.CancelAsync(order.Id);
        var unchanged = await OrderHttp.ReadAsync<OrderDto>(again, HttpStatusCode.OK);
        Assert.Equal((OrderStatus.Cancelled, cancelled.CancelledAt), (unchanged.Status, unchanged.CancelledAt));
        await Task.Delay(Settle);
        Assert.Single(mall.Bus.Seen<OrderCancelled>(e => e.OrderId == order.Id));
    }

    [Fact]
    public async Task The_owner_cancelling_a_paid_order_has_its_payment_refunded()
    {
        var (shopper, order) = await AwaitingPaymentAsync();
        using var owned = shopper;
        await mall.Bus.PublishAsync(new PaymentSucceeded(Guid.NewGuid(), order.Id, shopper.Id, order.Total));
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);

        using var response = await shopper.CancelAsync(order.Id);

        Assert.Equal(OrderStatus.Cancelled, (await OrderHttp.ReadAsync<OrderDto>(response, HttpStatusCode.OK)).Status);
        Assert.True((await mall.Bus.WaitForAsync<OrderCancelled>(e => e.OrderId == order.Id)).WasPaid);
    }

    [Fact]
    public async Task The_owner_cancels_a_submitted_order_and_a_reservation_arriving_afterwards_is_released_again()
    {
        var (shopper, order) = await PlacedAsync();
        using var owned = shopper;

        using var response = await shopper.CancelAsync(order.Id);

        Assert.Equal(OrderStatus.Cancelled, (await OrderHttp.ReadAsync<OrderDto>(response, HttpStatusCode.OK)).Status);
        Assert.False((await mall.Bus.WaitForAsync<OrderCancelled>(e => e.OrderId == order.Id)).WasPaid);
        // Whether products reserved before or after it heard of the cancellation, the stock ends where it was.
        await mall.WaitForStockAsync(order.Lines[0].ProductId, 100);

        // A reservation arriving after the cancellation (products' own may be one too): the order stays cancelled
        // and says so again, for products to release what it holds.
        var before = mall.Bus.Seen<OrderCancelled>(e => e.OrderId == order.Id).Count;
        await mall.Bus.PublishAsync(new StockReserved(order.Id));
        await Eventually.HoldsAsync(() => mall.Bus.Seen<OrderCancelled>(e => e.OrderId == order.Id && !e.WasPaid).Count > before,
            TimeSpan.FromSeconds(15), "the cancellation is announced again");
        var after = await shopper.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Cancelled, null), (after.Status, after.PaymentDeadline));
        await Task.Delay(Settle);
        Assert.Equal(100, await mall.StockAsync(order.Lines[0].ProductId));
    }

    /// <summary>A new shopper's order of one product, submitted.</summary>
    private async Task<(TestShopper Shopper, OrderDto Order)> PlacedAsync()
    {
        var shopper = await mall.NewShopperAsync();
        await shopper.Cart.AddOkAsync(await mall.Catalog.AddAsync(66.60m), 2);
        return (shopper, await shopper.PlaceOkAsync());
    }

    /// <summary>A new shopper's order whose stock products has reserved.</summary>
    private async Task<(TestShopper Shopper, OrderDto Order)> AwaitingPaymentAsync()
    {
        var (shopper, order) = await PlacedAsync();
        await shopper.WaitForStatusAsync(order.Id, OrderStatus.AwaitingPayment);
        return (shopper, order);
    }
}
