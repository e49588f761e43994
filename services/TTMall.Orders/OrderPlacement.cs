using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TTMall.Data.Idempotency;
using TTMall.Orders.Data;
using TTMall.ServiceDefaults.Security;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Orders;

/// <summary>
/// Turns a shopper's cart into an order. What is bought comes from the cart, the prices, names and stock from the
/// products service, the address from the shopper's address book in the users service: nothing the client sends is
/// trusted but the choice of address. The order and its OrderSubmitted event are written in one transaction, under the
/// request's Idempotency-Key.
/// </summary>
public sealed class OrderPlacement(OrdersDbContext db, ServiceReads reads, TimeProvider time)
{
    /// <summary>The largest numeric(12,2).</summary>
    public const decimal MaxMoney = 9_999_999_999.99m;

    public async Task<OrderPlacing> PlaceAsync(
        MallUser shopper, string? authorization, PlaceOrder input, string idempotencyKey, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (input.AddressId is not { } addressId || addressId == Guid.Empty)
        {
            errors.Add("addressId", "addressId is required: the id of one of your addresses.");
        }

        if (input.ExpectedTotal is { } expected && (expected < 0 || expected > MaxMoney || decimal.Round(expected, 2) != expected))
        {
            errors.Add("expectedTotal", "expectedTotal must be an amount of yuan from 0 with at most two decimals.");
        }

        if (errors.Any)
        {
            return new OrderPlacing.Invalid(errors);
        }

        var request = IdempotentRequest.For(shopper.Id.ToString(), idempotencyKey, "place order", input);
        IdempotentWrite<OrderDto> write;
        try
        {
            // The reads from the other services run inside the key's transaction: a second request with the same key
            // waits for the first and is answered with its order, even though the first emptied the cart meanwhile.
            write = await db.OnceAsync(request, ct => WriteAsync(shopper.Id, authorization, input, ct), cancellationToken);
        }
        catch (Refusal refusal)
        {
            return refusal.Outcome;
        }

        return write switch
        {
            IdempotentWrite<OrderDto>.Done done => new OrderPlacing.Placed(done.Result, done.Repeated),
            _ => new OrderPlacing.KeyReused(),
        };
    }

    private async Task<OrderDto> WriteAsync(Guid userId, string? authorization, PlaceOrder input, CancellationToken cancellationToken)
    {
        var cart = await reads.GetAsync<CartResponse>("carts", "/api/carts/me", authorization, cancellationToken)
            ?? throw new DependencyUnavailableException("carts", "The carts service answered 404 for the caller's cart.");
        var wanted = cart.Lines?.Where(l => l.Quantity > 0).ToList() ?? [];
        if (wanted.Count == 0)
        {
            throw Refuse("empty-cart", "The cart is empty", "There is nothing in your cart to order.");
        }

        var addressRead = reads.GetAsync<AddressResponse>("users", $"/api/users/me/addresses/{input.AddressId}", authorization, cancellationToken);
        var productReads = wanted.Select(l => reads.GetAsync<ProductResponse>("products", $"/api/products/{l.ProductId}", null, cancellationToken)).ToList();
        var productsRead = Task.WhenAll(productReads);
        // Both awaited before either is looked at, so a failure of one is never left unobserved behind the other's.
        await Task.WhenAll(addressRead, productsRead);
        var address = await addressRead;
        var products = await productsRead;
        foreach (var (line, product) in wanted.Zip(products))
        {
            if (product is not null && (product.Id != line.ProductId || string.IsNullOrEmpty(product.Name) || product.Price < 0))
            {
                throw new DependencyUnavailableException("products", $"The products service described product {line.ProductId} without the id, name and price orders need.");
            }
        }

        if (address is null)
        {
            var errors = new FieldErrors();
            errors.Add("addressId", "addressId must be the id of one of your addresses.");
            throw new Refusal(new OrderPlacing.Invalid(errors));
        }

        var lines = wanted.Zip(products, (line, product) => (line.ProductId, line.Quantity, Product: product)).ToList();
        var gone = lines.Where(l => l.Product is null).Select(l => l.ProductId).ToList();
        if (gone.Count > 0)
        {
            throw Refuse(
                "product-unavailable", "A product is no longer available",
                $"No longer sold: product {string.Join(", ", gone)}. Remove it from your cart to order the rest.",
                new() { ["productIds"] = gone });
        }

        var shortOf = lines.Where(l => l.Product!.Stock < l.Quantity).ToList();
        if (shortOf.Count > 0)
        {
            throw Refuse(
                "insufficient-stock", "Not enough stock",
                string.Join(" ", shortOf.Select(l => $"{l.Product!.Name}: {l.Quantity} wanted, {Math.Max(0, l.Product.Stock)} in stock.")),
                new()
                {
                    ["productIds"] = shortOf.Select(l => l.ProductId).ToList(),
                    ["products"] = shortOf.Select(l => new { productId = l.ProductId, name = l.Product!.Name, requested = l.Quantity, available = Math.Max(0, l.Product.Stock) }).ToList(),
                });
        }

        var total = lines.Sum(l => l.Product!.Price * l.Quantity);
        if (input.ExpectedTotal is { } expected && expected != total)
        {
            throw Refuse(
                "prices-changed", "Prices changed",
                string.Create(CultureInfo.InvariantCulture,
                    $"The total is now {total:0.00} CNY, not {expected:0.00} CNY: prices changed since you looked. Check the order and place it again."),
                new() { ["currentTotal"] = total, ["expectedTotal"] = expected });
        }

        var now = time.GetUtcNow().ToStored();
        var order = new Order
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Status = OrderStatus.Submitted,
            Total = total,
            Address = new ShippingAddress
            {
                AddressId = address.Id,
                Recipient = address.Recipient,
                Phone = address.Phone,
                Province = address.Province,
                City = address.City,
                District = address.District,
                Line = address.Line,
                PostalCode = address.PostalCode,
            },
            Lines = [.. lines.Select((l, i) => new OrderItem
            {
                LineNumber = i + 1,
                ProductId = l.ProductId,
                Name = l.Product!.Name,
                Quantity = l.Quantity,
                UnitPrice = l.Product.Price,
            })],
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Orders.Add(order);
        OrderEvents.Submitted(db, order);
        await db.SaveChangesAsync(cancellationToken);
        return OrderDto.From(order);
    }

    private static Refusal Refuse(string code, string title, string detail, Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code;
        return new Refusal(new OrderPlacing.Refused(TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, extensions: extensions)));
    }

    /// <summary>A refusal found inside the transaction: thrown so that it rolls back, key included.</summary>
    private sealed class Refusal(OrderPlacing outcome) : Exception
    {
        public OrderPlacing Outcome { get; } = outcome;
    }

    // The parts of the other services' answers orders uses; anything else in them is ignored.
    private sealed record CartResponse(List<CartLineResponse>? Lines);

    private sealed record CartLineResponse(int ProductId, int Quantity);

    private sealed record AddressResponse(
        Guid Id, string Recipient, string Phone, string Province, string City, string District, string Line, string? PostalCode);

    private sealed record ProductResponse(int Id, string Name, decimal Price, int Stock);
}
