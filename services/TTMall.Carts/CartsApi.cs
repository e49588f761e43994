using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TTMall.ServiceDefaults.Security;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Carts;

/// <summary>
/// The caller's own cart. Every route is under <c>/api/carts/me</c> and the owner comes from the access token
/// only: there is no way to name another user's cart.
/// </summary>
public static class CartsApi
{
    public const string Currency = "CNY";
    public const long MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapCartsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/carts/me")
            .WithTags("Carts")
            .RequireAuthorization(CartsServiceExtensions.CartOwnerPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            // A cart request body is a product id and a quantity: anything near this is not one (413).
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        me.MapGet("", GetAsync)
            .WithName("GetMyCart")
            .WithSummary("The caller's cart")
            .WithDescription("Lines oldest first, each priced with the product's current price from the products service, with line "
                + "totals and the cart total in CNY. A product that no longer exists shows as 'unavailable' without a price; one with "
                + "less stock than the line holds shows as 'insufficientStock'. 503 when the products service does not answer.");

        me.MapPost("/items", AddItemAsync)
            .WithName("AddToMyCart")
            .WithSummary("Add a product to the caller's cart")
            .WithDescription($"Adds the quantity to the product's line, creating it. The line may hold 1–{CartStore.MaxQuantity}, the cart "
                + $"{CartStore.MaxLines} different products. Stock is checked with the products service: 409 when the line would hold more "
                + "than is in stock, or a bound would be passed. An unknown product is a 400 error on productId. Not idempotent: do not "
                + "retry blindly (PUT the quantity instead).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        me.MapPut("/items/{productId:int}", SetQuantityAsync)
            .WithName("SetMyCartItemQuantity")
            .WithSummary("Set how many of a product the caller's cart holds")
            .WithDescription($"Sets the line to the quantity (1–{CartStore.MaxQuantity}), creating it; idempotent. 404 when there is no such "
                + "product; 409 when stock or the cart's bounds do not allow it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        me.MapDelete("/items/{productId:int}", RemoveItemAsync)
            .WithName("RemoveFromMyCart")
            .WithSummary("Remove a product's line from the caller's cart")
            .WithDescription("204 also when the cart had no such line: the line is gone either way, and a retried DELETE says so.");

        me.MapDelete("", ClearAsync)
            .WithName("ClearMyCart")
            .WithSummary("Empty the caller's cart");

        return app;
    }

    public static async Task<Ok<Cart>> GetAsync(ClaimsPrincipal user, CartStore store, ProductCatalog catalog, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync(Owner(user));
        var products = await Task.WhenAll(stored.Select(line => catalog.GetAsync(line.ProductId, cancellationToken)));
        var lines = stored.Zip(products, (line, product) => Line(line.ProductId, product, line.Quantity, line.AddedAt)).ToList();
        return TypedResults.Ok(new Cart(
            lines,
            lines.Sum(l => l.Quantity),
            lines.Sum(l => l.LineTotal ?? 0m),
            Currency));
    }

    public static async Task<Results<Ok<CartLine>, ValidationProblem, ProblemHttpResult>> AddItemAsync(
        ClaimsPrincipal user, AddCartItem body, CartStore store, ProductCatalog catalog, CancellationToken cancellationToken)
    {
        var (productId, quantity) = body;
        var errors = new FieldErrors();
        CheckProductId(productId, errors);
        CheckQuantity(quantity, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var product = await catalog.GetFreshAsync(productId, cancellationToken);
        if (product is null)
        {
            errors.Add("productId", $"There is no product {productId}.");
            return errors.ToProblem();
        }

        var write = await store.AddAsync(Owner(user), productId, quantity, product.Stock);
        return Written(product, write, requested: write.Quantity + quantity);
    }

    public static async Task<Results<Ok<CartLine>, ValidationProblem, ProblemHttpResult>> SetQuantityAsync(
        int productId, ClaimsPrincipal user, CartItemQuantity body, CartStore store, ProductCatalog catalog, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        CheckProductId(productId, errors);
        CheckQuantity(body.Quantity, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var product = await catalog.GetFreshAsync(productId, cancellationToken);
        if (product is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such product", detail: $"There is no product {productId}.");
        }

        var write = await store.SetAsync(Owner(user), productId, body.Quantity, product.Stock);
        return Written(product, write, requested: body.Quantity);
    }

    public static async Task<NoContent> RemoveItemAsync(int productId, ClaimsPrincipal user, CartStore store)
    {
        await store.RemoveAsync(Owner(user), productId);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> ClearAsync(ClaimsPrincipal user, CartStore store)
    {
        await store.ClearAsync(Owner(user));
        return TypedResults.NoContent();
    }

    private static Results<Ok<CartLine>, ValidationProblem, ProblemHttpResult> Written(ProductSnapshot product, CartWrite write, int requested) =>
        write.Outcome switch
        {
            CartWriteOutcome.Written => TypedResults.Ok(Line(product.Id, product, write.Quantity, write.AddedAt ?? default)),
            CartWriteOutcome.CartFull => Conflict(
                "cart-full", "The cart is full", $"A cart holds at most {CartStore.MaxLines} different products; remove one to add another.",
                product, write.Quantity),
            CartWriteOutcome.LineLimit => Conflict(
                "line-limit", "Too many of one product",
                $"The cart would hold {requested} of {product.Name}; a line holds at most {CartStore.MaxQuantity}.",
                product, write.Quantity),
            CartWriteOutcome.InsufficientStock when product.Stock is 0 => Conflict(
                "out-of-stock", "Out of stock", $"{product.Name} is out of stock.", product, write.Quantity, available: 0),
            CartWriteOutcome.InsufficientStock => Conflict(
                "insufficient-stock", "Not enough stock",
                $"The cart would hold {requested} of {product.Name}, but only {product.Stock} are in stock.",
                product, write.Quantity, available: product.Stock),
            _ => throw new InvalidOperationException($"Unknown cart write outcome {write.Outcome}."),
        };

    private static ProblemHttpResult Conflict(string code, string title, string detail, ProductSnapshot product, int inCart, int? available = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code, ["productId"] = product.Id, ["inCart"] = inCart };
        if (available is not null)
        {
            extensions["available"] = available;
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, extensions: extensions);
    }

    private static CartLine Line(int productId, ProductSnapshot? product, int quantity, DateTimeOffset addedAt) =>
        product is null
            ? new CartLine(productId, null, null, null, quantity, null, CartLineStatus.Unavailable, addedAt)
            : new CartLine(
                productId, product.Name, product.ImageUrl, product.Price, quantity, product.Price * quantity,
                product.Stock < quantity ? CartLineStatus.InsufficientStock : CartLineStatus.Available,
                addedAt);

    private static void CheckProductId(int productId, FieldErrors errors)
    {
        if (productId < 1)
        {
            errors.Add("productId", "productId must be a product's id (a whole number from 1).");
        }
    }

    private static void CheckQuantity(int quantity, FieldErrors errors)
    {
        if (quantity is < 1 or > CartStore.MaxQuantity)
        {
            errors.Add("quantity", $"quantity must be from 1 to {CartStore.MaxQuantity}.");
        }
    }

    /// <summary>The cart-owner policy admits only requests whose token names a user, so there is always one here.</summary>
    private static Guid Owner(ClaimsPrincipal user) =>
        user.MallUser()?.Id ?? throw new InvalidOperationException("A request reached a cart without a user; the cart-owner policy should have refused it.");
}
