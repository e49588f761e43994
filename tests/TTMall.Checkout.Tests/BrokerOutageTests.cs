using TTMall.Orders;
using TTMall.Orders.Data;

namespace TTMall.Checkout.Tests;

/// <summary>
/// RabbitMQ stopped while shoppers order: the orders are taken (their OrderSubmitted waits in orders' outbox), and once
/// the broker is back every event goes out and every order goes the whole way, its stock taken once.
/// </summary>
[Collection(CheckoutCollection.Name)]
public sealed class BrokerOutageTests(CheckoutMall mall)
{
    [Fact]
    public async Task Orders_placed_while_RabbitMQ_is_down_all_reach_awaiting_payment_once_it_is_back_each_reserved_once_and_can_be_paid()
    {
        const int orders = 5;
        const int quantity = 2;
        var product = await mall.Catalog.AddAsync(15.50m, stock: 20);
        var shoppers = await Task.WhenAll(Enumerable.Range(0, orders).Select(async _ =>
        {
            var shopper = await mall.NewShopperAsync();
            await shopper.Cart.AddOkAsync(product, quantity);
            return shopper;
        }));
        try
        {
            var placed = new List<(TestShopper Shopper, OrderDto Order)>();
            await mall.StopRabbitMqAsync();
            try
            {
                foreach (var shopper in shoppers)
                {
                    placed.Add((shopper, await shopper.PlaceOkAsync()));
                }

                // Nothing can reach products meanwhile: every order stays submitted and the stock untouched.
                await Task.Delay(TimeSpan.FromSeconds(2));
                foreach (var (shopper, order) in placed)
                {
                    Assert.Equal(OrderStatus.Submitted, (await shopper.GetOrderAsync(order.Id)).Status);
                }

                Assert.Equal(20, await mall.StockAsync(product));
            }
            finally
            {
                await mall.StartRabbitMqAsync();
            }

            foreach (var (shopper, order) in placed)
            {
                await shopper.WaitForStatusAsync(order.Id, OrderStatus.AwaitingPayment);
            }

            Assert.Equal(20 - (orders * quantity), await mall.StockAsync(product));
            foreach (var (shopper, order) in placed)
            {
                await shopper.PayOkAsync(order.Id);
                await shopper.WaitForStatusAsync(order.Id, OrderStatus.Paid);
            }

            // Paying moves no stock: still taken exactly once per order.
            Assert.Equal(20 - (orders * quantity), await mall.StockAsync(product));
        }
        finally
        {
            foreach (var shopper in shoppers)
            {
                shopper.Dispose();
            }
        }
    }
}
