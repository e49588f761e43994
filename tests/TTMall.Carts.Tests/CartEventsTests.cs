using System.Net;
using TTMall.Contracts;

namespace TTMall.Carts.Tests;

/// <summary>
/// Carts following the checkout's events on the real RabbitMQ: an order submitted takes its lines out of the
/// shopper's cart (not the ones written after it, not anyone else's, and not twice), and a price change reaches every
/// carts replica's snapshots at once.
/// </summary>
[Collection(CartsCollection.Name)]
public class CartEventsTests(CartsMall mall)
{
    [Fact]
    public async Task The_ordered_lines_leave_the_shoppers_cart_and_no_one_elses()
    {
        var (first, second, notOrdered) = (await mall.Catalog.AddAsync(10m), await mall.Catalog.AddAsync(20m), await mall.Catalog.AddAsync(30m));
        var user = TestTokens.NewUser();
        using var shopper = mall.Client(TestTokens.For(user));
        using var someoneElse = mall.NewShopper();
        await shopper.AddOkAsync(first, 2);
        await shopper.AddOkAsync(second, 1);
        await shopper.AddOkAsync(notOrdered, 1);
        await someoneElse.AddOkAsync(first, 1);

        var id = await mall.Bus.PublishAsync(Order(user.Id, DateTimeOffset.UtcNow, first, second));
        await mall.Consumed.WaitAsync(id);

        Assert.Equal([notOrdered], ProductIds(await shopper.GetCartAsync()));
        Assert.Equal([first], ProductIds(await someoneElse.GetCartAsync()));
    }

    [Fact]
    public async Task Lines_added_again_or_changed_after_the_order_was_submitted_stay()
    {
        var untouched = await mall.Catalog.AddAsync(10m);
        var raised = await mall.Catalog.AddAsync(20m);
        var readded = await mall.Catalog.AddAsync(30m);
        var addedLater = await mall.Catalog.AddAsync(40m);
        var user = TestTokens.NewUser();
        using var shopper = mall.Client(TestTokens.For(user));
        await shopper.AddOkAsync(untouched, 1);
        await shopper.AddOkAsync(raised, 1);
        await shopper.AddOkAsync(readded, 1);

        var submittedAt = DateTimeOffset.UtcNow;
        // Another tab, after the order was placed: the shopper wants more of one, another back, and a new one.
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        using (var response = await shopper.SetAsync(raised, 3))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await shopper.RemoveAsync(readded))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await shopper.AddOkAsync(readded, 1);
        await shopper.AddOkAsync(addedLater, 1);

        var id = await mall.Bus.PublishAsync(Order(user.Id, submittedAt, untouched, raised, readded, addedLater));
        await mall.Consumed.WaitAsync(id);

        var cart = await shopper.GetCartAsync();
        Assert.Equal([raised, readded, addedLater], ProductIds(cart));
        Assert.Equal(3, cart.Line(raised).Quantity);
    }

    [Fact]
    public async Task A_redelivered_order_removes_nothing_more()
    {
        var (ordered, notOrdered) = (await mall.Catalog.AddAsync(10m), await mall.Catalog.AddAsync(20m));
        var user = TestTokens.NewUser();
        using var shopper = mall.Client(TestTokens.For(user));
        await shopper.AddOkAsync(ordered, 1);
        await shopper.AddOkAsync(notOrdered, 1);
        var order = Order(user.Id, DateTimeOffset.UtcNow, ordered);

        var id = await mall.Bus.PublishAsync(order);
        await mall.Consumed.WaitAsync(id);
        Assert.Equal([notOrdered], ProductIds(await shopper.GetCartAsync()));

        // The shopper puts the product back for a next order; then the first order's event comes again.
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        await shopper.AddOkAsync(ordered, 2);
        await mall.Bus.PublishAsync(order, id);
        await mall.Consumed.WaitAsync(id, times: 2);

        var cart = await shopper.GetCartAsync();
        Assert.Equal([notOrdered, ordered], ProductIds(cart));
        Assert.Equal(2, cart.Line(ordered).Quantity);
    }

    [Fact]
    public async Task A_price_change_is_seen_at_once_through_every_replica()
    {
        var product = await mall.Catalog.AddAsync(100m);
        // Snapshots that would keep the old price for ten minutes: only the event can make a replica forget it.
        var longSnapshots = new Dictionary<string, string?> { ["Carts:ProductSnapshotLifetime"] = "00:10:00" };
        await using var firstReplica = mall.StartCarts(settings: longSnapshots);
        await using var secondReplica = mall.StartCarts(settings: longSnapshots);
        await Task.WhenAll(CartsMall.ListeningAsync(firstReplica), CartsMall.ListeningAsync(secondReplica));
        var token = TestTokens.For(TestTokens.NewUser());
        using var first = mall.Client(token, firstReplica);
        using var second = mall.Client(token, secondReplica);
        await first.AddOkAsync(product, 2);
        Assert.Equal(200m, (await first.GetCartAsync()).Total);
        Assert.Equal(200m, (await second.GetCartAsync()).Total);

        await mall.Catalog.SetPriceAsync(product, 120m);
        Assert.Equal(200m, (await first.GetCartAsync()).Total);
        Assert.Equal(200m, (await second.GetCartAsync()).Total);

        await mall.Bus.PublishAsync(new ProductPriceChanged(product, 100m, 120m, DateTimeOffset.UtcNow));

        await Eventually.HoldsAsync(
            async () => (await first.GetCartAsync()).Total == 240m && (await second.GetCartAsync()).Total == 240m,
            TimeSpan.FromSeconds(5),
            "both replicas price the cart at the new price");
    }

    [Fact]
    public async Task Without_RabbitMQ_carts_serve_and_health_is_at_worst_degraded()
    {
        var product = await mall.Catalog.AddAsync(10m);
        await using var replica = mall.StartCarts(settings: new Dictionary<string, string?>
        {
            // Where no broker listens: RabbitMQ is down from the start.
            ["ConnectionStrings:rabbitmq"] = $"amqp://guest:guest@127.0.0.1:{FreePort.OnLoopback()}/",
            // Starting for 3 s, then Degraded: not the minute a replica is given by default.
            ["Messaging:ConnectGrace"] = "00:00:03",
        });
        using var shopper = mall.NewShopper(replica);
        using var probe = replica.CreateClient();

        await shopper.AddOkAsync(product, 1);
        Assert.Equal(10m, (await shopper.GetCartAsync()).Total);
        // Healthy while the bus is starting, Degraded once it should have connected: 200 throughout, never 503.
        await Eventually.HoldsAsync(
            async () =>
            {
                using var response = await probe.GetAsync("/health");
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"/health answered {(int)response.StatusCode}: {body}");
                return body == "Degraded";
            },
            TimeSpan.FromSeconds(30),
            "carts' /health says Degraded");
    }

    private static OrderSubmitted Order(Guid userId, DateTimeOffset submittedAt, params int[] products) =>
        new(Guid.NewGuid(), userId, [.. products.Select(p => new OrderLine(p, $"Product {p}", 1, 10m))], 10m * products.Length, submittedAt);

    private static int[] ProductIds(Cart cart) => [.. cart.Lines.Select(l => l.ProductId)];
}
