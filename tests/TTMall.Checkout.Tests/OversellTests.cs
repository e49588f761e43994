using System.Net;
using TTMall.Orders;
using TTMall.Orders.Data;

namespace TTMall.Checkout.Tests;

[Collection(CheckoutCollection.Name)]
public sealed class OversellTests(CheckoutMall mall)
{
    [Fact]
    public async Task Fifty_shoppers_at_once_for_ten_units_get_ten_orders_and_the_stock_never_goes_below_zero()
    {
        var product = await mall.Catalog.AddAsync(8.88m, stock: 10);
        var shoppers = new List<TestShopper>();
        // Signed up a few at a time: signing up is not what is measured here.
        foreach (var batch in Enumerable.Range(0, 50).Chunk(10))
        {
            shoppers.AddRange(await Task.WhenAll(batch.Select(async _ =>
            {
                var shopper = await mall.NewShopperAsync();
                await shopper.Cart.AddOkAsync(product, 1);
                return shopper;
            })));
        }

        try
        {
            using var start = new SemaphoreSlim(0);
            var attempts = shoppers.Select(async shopper =>
            {
                await start.WaitAsync();
                using var response = await shopper.PlaceAsync();
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    return (shopper, Order: (OrderDto?)await OrderHttp.ReadAsync<OrderDto>(response, HttpStatusCode.Created));
                }

                // Orders refuses outright once products serves less stock than the cart wants.
                await ProblemAssert.CodeAsync(response, HttpStatusCode.Conflict, "insufficient-stock");
                return (shopper, Order: null);
            }).ToList();
            start.Release(shoppers.Count);
            var placed = (await Task.WhenAll(attempts)).Where(a => a.Order is not null).ToList();

            var decided = await Task.WhenAll(placed.Select(async p =>
            {
                OrderDto? last = null;
                await Eventually.HoldsAsync(
                    async () => (last = await p.shopper.GetOrderAsync(p.Order!.Id)).Status != OrderStatus.Submitted,
                    TimeSpan.FromSeconds(60), $"products decides on order {p.Order!.Id}");
                return last!;
            }));

            Assert.Equal(10, decided.Count(o => o.Status == OrderStatus.AwaitingPayment));
            Assert.All(decided.Where(o => o.Status != OrderStatus.AwaitingPayment), o => Assert.Equal(OrderStatus.Cancelled, o.Status));
            Assert.Equal(0, await mall.StockAsync(product));
        }
        finally
        {
            shoppers.ForEach(s => s.Dispose());
        }
    }
}
