using Microsoft.EntityFrameworkCore;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Products.Data;

namespace TTMall.Products.Stock;

/// <summary>
/// Reserves an order's stock, all lines or none, and gives it back when the order is cancelled. Runs inside the
/// transaction of the consumer that received the event, and publishes the outcome through the outbox in it.
/// The product rows are locked in id order before anything is decided, so concurrent orders for the same products
/// queue up instead of both seeing the last unit, and never deadlock; the table's check keeps stock at zero or above
/// whatever happens.
/// </summary>
public sealed class StockKeeper(ProductsDbContext db, ProductDetails details, TimeProvider time)
{
    private readonly HashSet<int> _changed = [];

    /// <summary>
    /// Call once the consumer's transaction has committed: this replica's cached copy of each product whose stock
    /// changed is forgotten here, not before the commit, when a read in between would cache the old stock again.
    /// </summary>
    public void ForgetChanged()
    {
        foreach (var id in _changed)
        {
            details.Forget(id);
        }

        _changed.Clear();
    }

    public async Task ReserveAsync(OrderSubmitted order, CancellationToken cancellationToken)
    {
        if (await db.OrderStock.AnyAsync(s => s.OrderId == order.OrderId, cancellationToken))
        {
            // Decided before: reserved or rejected by an earlier delivery, or cancelled before it arrived.
            return;
        }

        var wanted = order.Lines
            .GroupBy(l => l.ProductId)
            .Select(g => new HeldStock(g.Key, g.Sum(l => l.Quantity)))
            .OrderBy(h => h.ProductId)
            .ToList();
        var ids = wanted.Select(h => h.ProductId).ToArray();
        var inStock = await db.Database
            .SqlQuery<ProductStock>($"""SELECT "Id", "Stock" FROM products WHERE "Id" = ANY({ids}) ORDER BY "Id" FOR UPDATE""")
            .ToDictionaryAsync(p => p.Id, p => p.Stock, cancellationToken);

        var decidedAt = time.GetUtcNow();
        var shortOrGone = wanted
            .Where(h => h.Quantity <= 0 || !inStock.TryGetValue(h.ProductId, out var units) || units < h.Quantity)
            .Select(h => h.ProductId)
            .ToList();
        if (wanted.Count == 0 || shortOrGone.Count > 0)
        {
            db.OrderStock.Add(new OrderStock { OrderId = order.OrderId, State = OrderStockState.Rejected, DecidedAt = decidedAt });
            db.Publish(new StockRejected(order.OrderId, shortOrGone, Reason(shortOrGone, inStock)));
            return;
        }

        foreach (var held in wanted)
        {
            await db.Products.Where(p => p.Id == held.ProductId)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.Stock, x => x.Stock - held.Quantity), cancellationToken);
            _changed.Add(held.ProductId);
        }

        db.OrderStock.Add(new OrderStock { OrderId = order.OrderId, State = OrderStockState.Reserved, Held = wanted, DecidedAt = decidedAt });
        db.Publish(new StockReserved(order.OrderId));
    }

    public async Task ReleaseAsync(OrderCancelled order, CancellationToken cancellationToken)
    {
        var decided = await db.OrderStock.SingleOrDefaultAsync(s => s.OrderId == order.OrderId, cancellationToken);
        var now = time.GetUtcNow();
        if (decided is null)
        {
            // Cancelled before the order reached us: remember it, so the order is not reserved when it does.
            db.OrderStock.Add(new OrderStock { OrderId = order.OrderId, State = OrderStockState.Released, DecidedAt = now, ReleasedAt = now });
            return;
        }

        if (decided.State != OrderStockState.Reserved)
        {
            return;
        }

        foreach (var held in decided.Held.OrderBy(h => h.ProductId))
        {
            await db.Products.Where(p => p.Id == held.ProductId)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.Stock, x => x.Stock + held.Quantity), cancellationToken);
            _changed.Add(held.ProductId);
        }

        decided.State = OrderStockState.Released;
        decided.ReleasedAt = now;
    }

    private static string Reason(IReadOnlyList<int> shortOrGone, IReadOnlyDictionary<int, int> inStock) =>
        shortOrGone.Count == 0
            ? "The order has no lines."
            : string.Join("; ", shortOrGone.Select(id => inStock.TryGetValue(id, out var units)
                ? $"product {id}: only {units} in stock"
                : $"product {id}: no longer sold"));

    private sealed record ProductStock(int Id, int Stock);
}
