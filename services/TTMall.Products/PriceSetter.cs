using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TTMall.Contracts;
using TTMall.Data;
using TTMall.Messaging;
using TTMall.Products.Data;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Products;

/// <summary>
/// Changes a product's price and announces it: the new price and its ProductPriceChanged event are written in one
/// transaction (the event through the outbox), so the event goes out exactly when the price changed. The product's row
/// is locked while the old price is read, so two changes at once each announce the price they replaced. This replica
/// forgets its copy once the change is committed; the others forget theirs on the event.
/// </summary>
public sealed class PriceSetter(ProductsDbContext db, ProductDetails details, TimeProvider time)
{
    /// <summary>
    /// The highest price a product may have, ¥1,000,000: far above anything the mall sells, and low enough that a full
    /// cart (50 lines of 99) still totals within the money columns of orders and payments (numeric(12,2)).
    /// </summary>
    public const decimal MaxPrice = 1_000_000m;

    public async Task<PriceSetting> SetAsync(int productId, PriceInput? input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (input?.Price is not { } price)
        {
            errors.Add("price", "price is required: the new price in yuan, such as 12.34.");
        }
        else if (price <= 0 || price > MaxPrice || decimal.Round(price, 2) != price)
        {
            errors.Add("price", $"price must be more than 0 and at most {MaxPrice.ToString(CultureInfo.InvariantCulture)} yuan, with at most two decimals.");
        }

        if (errors.Any)
        {
            return new PriceSetting.Invalid(errors);
        }

        var newPrice = input!.Price!.Value;
        var changed = await db.InTransactionAsync(async ct =>
        {
            var current = await db.Database
                .SqlQuery<decimal>($"""SELECT "Price" AS "Value" FROM products WHERE "Id" = {productId} FOR UPDATE""")
                .ToListAsync(ct);
            if (current is not [var oldPrice])
            {
                return (bool?)null;
            }

            if (oldPrice == newPrice)
            {
                return false;
            }

            await db.Products.Where(p => p.Id == productId).ExecuteUpdateAsync(p => p.SetProperty(x => x.Price, newPrice), ct);
            db.Publish(new ProductPriceChanged(productId, oldPrice, newPrice, time.GetUtcNow()));
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

        if (changed is null)
        {
            return new PriceSetting.NoProduct();
        }

        // Also when unchanged: the answer is the price as stored, not a copy read before someone else's change.
        details.Forget(productId);
        return await details.GetAsync(db, productId, cancellationToken) is { } product
            ? new PriceSetting.Set(product, changed.Value)
            : new PriceSetting.NoProduct();
    }
}
