using System.Diagnostics;
using TTMall.Contracts;
using Xunit.Abstractions;

namespace TTMall.Checkout.Tests;

/// <summary>
/// A replica SIGKILLed in the middle of the checkout's messaging, products while it reserves stock, orders while its
/// relay publishes: nothing is lost and nothing is done twice. A kill from outside cannot be aimed at one instruction;
/// each test sends a burst of orders and kills the replica as soon as the first effect of the burst appears, when it
/// is most likely holding messages it has not acknowledged or rows it has not marked sent, and checks the invariants
/// that must hold whatever moment the kill hit. In the checkout collection, so it does not share the CPU with it.
/// </summary>
[Collection(CheckoutCollection.Name)]
public sealed class KilledReplicaTests(ReplicaMall mall, ITestOutputHelper output) : IClassFixture<ReplicaMall>
{
    private const int Burst = 30;
    private const int InitialStock = 1000;

    /// <summary>
    /// Proves: a message products was consuming when it died (not acknowledged, its transaction rolled back or
    /// committed) is handled by the other replica or by the restarted one, and its effect (stock taken, StockReserved
    /// in the outbox) happens exactly once, the inbox and order_stock absorbing a redelivery of what had committed.
    /// </summary>
    [Fact]
    public async Task Products_killed_while_it_reserves_a_burst_of_orders_reserves_each_exactly_once_after_it_is_started_again()
    {
        await mall.EnsureAllRunningAsync();
        var product = await mall.AddProductAsync(9.90m, InitialStock);
        var (orders, addressId) = await mall.ShopperWithCartAsync(product, 1);
        using var owned = orders;
        var killed = mall.Products[1];
        var since = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();

        var placing = ReplicaMall.PlaceManyAsync(orders, addressId, Burst);
        // The first reservation of the burst (by either replica) shows that products is consuming it: kill then.
        await Eventually.HoldsAsync(async () => await mall.DecidedSinceAsync(since) > 0,
            TimeSpan.FromSeconds(60), "products reserves the first order of the burst", mall.Logs);
        await killed.KillAsync();
        output.WriteLine($"{killed.Name} killed after {clock.Elapsed.TotalSeconds:0.0} s, {await mall.DecidedSinceAsync(since)} of {Burst} orders decided");
        var ids = await placing;

        await killed.StartAsync(TimeSpan.FromMinutes(2));
        await mall.AssertEachReservedOnceAsync(ids, product, InitialStock, quantity: 1);
        output.WriteLine($"all {Burst} reserved once after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// Proves: rows an orders relay had taken (locked, published in part, not marked sent) when it died are published by
    /// the other replica's relay, none left unsent; what was published twice (confirmed by RabbitMQ but not yet marked
    /// sent when the kill came) reaches products twice with the same MessageId and is reserved once.
    /// </summary>
    [Fact]
    public async Task Orders_killed_while_its_relay_publishes_a_burst_leaves_nothing_unsent_and_each_order_is_reserved_once()
    {
        await mall.EnsureAllRunningAsync();
        var product = await mall.AddProductAsync(9.90m, InitialStock);
        var (orders, addressId) = await mall.ShopperWithCartAsync(product, 1);
        using var owned = orders;
        var killed = mall.Orders[1];
        var since = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();

        var placing = ReplicaMall.PlaceManyAsync(orders, addressId, Burst);
        // The first event of the burst published (by either relay) shows the relays at work on it: kill then.
        await Eventually.HoldsAsync(async () => await mall.SentSinceAsync(since) > 0,
            TimeSpan.FromSeconds(60), "a relay publishes the first event of the burst", mall.Logs);
        await killed.KillAsync();
        var ids = await placing;
        output.WriteLine($"{killed.Name} killed after {clock.Elapsed.TotalSeconds:0.0} s, {await mall.SentSinceAsync(since)} events of the burst published");

        // The survivor alone publishes the rest, orders-2 staying dead.
        await Eventually.HoldsAsync(async () => await mall.UnsentAsync() == 0,
            TimeSpan.FromSeconds(60), "no event left unsent in orders' outbox", mall.Logs);
        await mall.AssertEachReservedOnceAsync(ids, product, InitialStock, quantity: 1);
        var idSet = ids.ToHashSet();
        output.WriteLine($"all {Burst} reserved once after {clock.Elapsed.TotalSeconds:0.0} s; "
            + $"OrderSubmitted published twice: {mall.Bus.Repeated<OrderSubmitted>(o => idSet.Contains(o.OrderId))}");
    }
}
