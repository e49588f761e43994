using Microsoft.EntityFrameworkCore;
using TTMall.Contracts;
using TTMall.Orders;
using TTMall.Orders.Data;

namespace TTMall.Checkout.Tests;

[Collection(CheckoutCollection.Name)]
public sealed class DeadlineScanTests(CheckoutMall mall)
{
    [Fact]
    public async Task Two_replicas_scanning_at_once_cancel_each_overdue_order_once()
    {
        await using var second = mall.StartOrders();
        var product = await mall.Catalog.AddAsync(3m);
        var orders = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            using var shopper = await mall.NewShopperAsync();
            await shopper.Cart.AddOkAsync(product, 1);
            orders.Add((await shopper.PlaceOkAsync()).Id);
        }

        // Products reserves each order's stock.
        await Eventually.HoldsAsync(
            async () => await mall.InOrdersAsync(db => db.Orders.CountAsync(o => orders.Contains(o.Id) && o.Status == OrderStatus.AwaitingPayment)) == orders.Count,
            TimeSpan.FromSeconds(20), "every order awaits payment");
        // All overdue at one moment, for both replicas' scans to find.
        await mall.InOrdersAsync(db => db.Orders.Where(o => orders.Contains(o.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.PaymentDeadline, DateTimeOffset.UtcNow.AddSeconds(-1))));

        await Eventually.HoldsAsync(
            () => orders.All(id => mall.Bus.Seen<OrderCancelled>(e => e.OrderId == id).Count > 0),
            TimeSpan.FromSeconds(20), "every order's cancellation is published");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.All(orders, id => Assert.Single(mall.Bus.Seen<OrderCancelled>(e => e.OrderId == id)));
        Assert.Equal(orders.Count, await mall.InOrdersAsync(db => db.Orders.CountAsync(o => orders.Contains(o.Id) && o.Status == OrderStatus.Cancelled)));
    }
}
