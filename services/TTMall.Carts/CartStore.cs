using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace TTMall.Carts;

/// <summary>One line as Redis holds it: no price, no name, only what the shopper chose.</summary>
public sealed record StoredLine(int ProductId, int Quantity, DateTimeOffset AddedAt);

/// <summary>
/// Carts in Redis, one per user: a hash of product id → quantity, a hash of product id → when the line was
/// added and one of product id → when the shopper last wrote it (unix ms), all under the user's hash tag so they
/// live in one slot. Every write is one Lua script, so the bounds are checked against the quantity that is really
/// there: two replicas adding to the same cart at once cannot lose an update or together exceed a bound.
/// </summary>
public sealed class CartStore(IConnectionMultiplexer redis, IOptions<CartsOptions> options, TimeProvider time)
{
    public const int MaxQuantity = 99;
    public const int MaxLines = 50;

    /// <summary>Stock passed to a script when the products service did not say (checked by orders anyway).</summary>
    private const int UnknownStock = -1;

    // KEYS: quantities, added-at, changed-at. ARGV: product, amount, mode ('add' to the line or 'set' it), max quantity,
    // max lines, stock (-1: unknown), now (unix ms), lifetime (ms).
    // Returns {outcome, quantity, added-at}: outcome 0 written, 1 cart full, 2 line limit, 3 insufficient stock.
    private const string WriteScript = """
        local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
        if current == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[5]) then
          return {1, 0, 0}
        end
        local wanted = tonumber(ARGV[2])
        if ARGV[3] == 'add' then
          wanted = current + wanted
        end
        local added = tonumber(redis.call('HGET', KEYS[2], ARGV[1])) or 0
        if wanted > tonumber(ARGV[4]) then
          return {2, current, added}
        end
        local stock = tonumber(ARGV[6])
        if stock >= 0 and wanted > stock then
          return {3, current, added}
        end
        redis.call('HSET', KEYS[1], ARGV[1], wanted)
        if current == 0 or added == 0 then
          added = tonumber(ARGV[7])
          redis.call('HSET', KEYS[2], ARGV[1], added)
        end
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[7])
        redis.call('PEXPIRE', KEYS[1], ARGV[8])
        redis.call('PEXPIRE', KEYS[2], ARGV[8])
        redis.call('PEXPIRE', KEYS[3], ARGV[8])
        return {0, wanted, added}
        """;

    // KEYS: quantities, added-at, changed-at. ARGV: the order's submitted-at (unix ms), then the ordered products.
    // A line goes only if the shopper last wrote it at or before that moment; one added, re-added or changed since
    // is a wish made after the order and stays. A cart from before changed-at was kept falls back to added-at.
    // Returns how many lines went. Running it again removes nothing more: what it removed is gone, and what it left
    // is still newer than the order.
    private const string RemoveOrderedScript = """
        local submitted = tonumber(ARGV[1])
        local removed = 0
        for i = 2, #ARGV do
          local product = ARGV[i]
          if redis.call('HEXISTS', KEYS[1], product) == 1 then
            local changed = tonumber(redis.call('HGET', KEYS[3], product)) or tonumber(redis.call('HGET', KEYS[2], product)) or 0
            if changed <= submitted then
              redis.call('HDEL', KEYS[1], product)
              redis.call('HDEL', KEYS[2], product)
              redis.call('HDEL', KEYS[3], product)
              removed = removed + 1
            end
          end
        end
        return removed
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Adds <paramref name="amount"/> to the line (creating it), unless a bound or <paramref name="stock"/> forbids it.</summary>
    public Task<CartWrite> AddAsync(Guid owner, int productId, int amount, int? stock) =>
        WriteAsync("add", owner, productId, amount, stock);

    /// <summary>Sets the line to <paramref name="quantity"/> (creating it), unless a bound or <paramref name="stock"/> forbids it.</summary>
    public Task<CartWrite> SetAsync(Guid owner, int productId, int quantity, int? stock) =>
        WriteAsync("set", owner, productId, quantity, stock);

    public async Task RemoveAsync(Guid owner, int productId)
    {
        var (quantities, added, changed) = Keys(owner);
        var transaction = Db.CreateTransaction();
        _ = transaction.HashDeleteAsync(quantities, Field(productId));
        _ = transaction.HashDeleteAsync(added, Field(productId));
        _ = transaction.HashDeleteAsync(changed, Field(productId));
        await transaction.ExecuteAsync();
    }

    public async Task ClearAsync(Guid owner)
    {
        var (quantities, added, changed) = Keys(owner);
        await Db.KeyDeleteAsync([quantities, added, changed]);
    }

    /// <summary>
    /// Removes the lines of <paramref name="productIds"/> that the shopper last wrote at or before
    /// <paramref name="submittedAt"/>, in one script; lines written later stay. Idempotent. The whole line goes, not
    /// the ordered quantity: the order was made from the cart as it was, and a line changed since is kept whole.
    /// <paramref name="submittedAt"/> is the orders replica's clock and changed-at this one's: a skew between them
    /// misjudges only a line written within that skew of the order.
    /// </summary>
    /// <returns>How many lines were removed.</returns>
    public async Task<int> RemoveOrderedAsync(Guid owner, IEnumerable<int> productIds, DateTimeOffset submittedAt)
    {
        var products = productIds.Distinct().Select(id => (RedisValue)Field(id)).ToList();
        if (products.Count == 0)
        {
            return 0;
        }

        var (quantities, added, changed) = Keys(owner);
        var removed = await Db.ScriptEvaluateAsync(
            RemoveOrderedScript,
            [quantities, added, changed],
            [submittedAt.ToUnixTimeMilliseconds(), .. products]);
        return (int)removed;
    }

    /// <summary>The cart's lines, oldest first.</summary>
    public async Task<IReadOnlyList<StoredLine>> ReadAsync(Guid owner)
    {
        var (quantities, added, _) = Keys(owner);
        // One transaction: a line added between the two reads would otherwise show without its added-at.
        var transaction = Db.CreateTransaction();
        var quantitiesRead = transaction.HashGetAllAsync(quantities);
        var addedRead = transaction.HashGetAllAsync(added);
        await transaction.ExecuteAsync();
        var addedAt = (await addedRead).ToDictionary(e => (string)e.Name!, e => (long)e.Value);
        return [.. (await quantitiesRead)
            .Select(e => new StoredLine(
                int.Parse((string)e.Name!, CultureInfo.InvariantCulture),
                (int)e.Value,
                DateTimeOffset.FromUnixTimeMilliseconds(addedAt.GetValueOrDefault((string)e.Name!))))
            .OrderBy(l => l.AddedAt)
            .ThenBy(l => l.ProductId)];
    }

    private async Task<CartWrite> WriteAsync(string mode, Guid owner, int productId, int quantity, int? stock)
    {
        var (quantities, added, changed) = Keys(owner);
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            WriteScript,
            [quantities, added, changed],
            [
                Field(productId),
                quantity,
                mode,
                MaxQuantity,
                MaxLines,
                stock ?? UnknownStock,
                time.GetUtcNow().ToUnixTimeMilliseconds(),
                (long)options.Value.CartLifetime.TotalMilliseconds,
            ]))!;
        var addedAt = (long)result[2];
        return new CartWrite(
            (CartWriteOutcome)(int)result[0],
            (int)result[1],
            addedAt > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(addedAt) : null);
    }

    private static string Field(int productId) => productId.ToString(CultureInfo.InvariantCulture);

    private static (RedisKey Quantities, RedisKey Added, RedisKey Changed) Keys(Guid owner)
    {
        var tag = owner.ToString("N");
        return ($"cart:{{{tag}}}:quantities", $"cart:{{{tag}}}:added", $"cart:{{{tag}}}:changed");
    }
}
