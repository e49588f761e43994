using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TTMall.Data;
using TTMall.Data.Idempotency;
using TTMall.Orders.Data;
using TTMall.ServiceDefaults.Http;
using TTMall.ServiceDefaults.Security;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Orders;

/// <summary>
/// The caller's orders. The owner always comes from the access token: another shopper's order answers 404 exactly like
/// one that does not exist.
/// </summary>
public static class OrdersApi
{
    public const int DefaultPageSize = 10;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders")
            .WithTags("Orders")
            .RequireAuthorization(OrdersServiceExtensions.ShopperPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        orders.MapPost("/", PlaceAsync)
            .WithName("PlaceOrder")
            .WithSummary("Order what is in the caller's cart")
            .WithDescription("Turns the caller's cart into an order (status submitted) delivered to one of the caller's addresses, with "
                + "names and prices read from the products service now. The Idempotency-Key header is required (1 to 200 visible ASCII "
                + "characters, remembered for 24 hours): a repeat is answered 201 with the order placed the first time; the same key with "
                + "another body is 422. Nothing is written when: the cart is empty (409, code empty-cart); addressId is not one of the "
                + "caller's addresses (400); a product is gone (409, code product-unavailable, productIds); the stock is short (409, code "
                + "insufficient-stock, productIds and products); expectedTotal is given and differs from the current total (409, code "
                + "prices-changed, currentTotal). 503 when carts, users or products do not answer. The stock is then reserved and the "
                + "order becomes awaitingPayment with a paymentDeadline, or cancelled when it cannot be.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        orders.MapGet("/", ListAsync)
            .WithName("ListMyOrders")
            .WithSummary("The caller's orders, newest first");

        orders.MapGet("/{id:guid}", GetAsync)
            .WithName("GetMyOrder")
            .WithSummary("One of the caller's orders")
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapPost("/{id:guid}/cancel", CancelAsync)
            .WithName("CancelMyOrder")
            .WithSummary("Cancel one of the caller's orders")
            .WithDescription("Cancels the order whatever its state: its reserved stock is released, and a paid order's payment refunded. "
                + "An order already cancelled is answered 200 as it is, so a repeated cancel is safe.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Created<OrderDto>, ValidationProblem, ProblemHttpResult>> PlaceAsync(
        PlaceOrder input, ClaimsPrincipal principal, HttpRequest request, OrderPlacement placement, CancellationToken cancellationToken)
    {
        var shopper = Shopper(principal);
        var errors = new FieldErrors();
        var key = IdempotencyKeys.Read(request, errors);
        if (key is null && !errors.Any)
        {
            errors.Add(RepeatableRequests.IdempotencyKeyHeader,
                $"The {RepeatableRequests.IdempotencyKeyHeader} header is required: a new UUID per order, sent again unchanged when the request is repeated.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await placement.PlaceAsync(shopper, request.Headers.Authorization, input, key!, cancellationToken) switch
        {
            OrderPlacing.Placed placed => TypedResults.Created($"/api/orders/{placed.Order.Id}", placed.Order),
            OrderPlacing.Invalid invalid => invalid.Errors.ToProblem(),
            OrderPlacing.Refused refused => refused.Problem,
            _ => IdempotencyKeys.ReusedProblem(),
        };
    }

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListAsync(
        ClaimsPrincipal principal, OrdersDbContext db, CancellationToken cancellationToken,
        [Description("Page number, from 1 (default 1); page × pageSize at most 10,000.")] string? page = null,
        [Description("Orders per page, 1 to 100 (default 10).")] string? pageSize = null)
    {
        var errors = new FieldErrors();
        if (Paging.Parse(page, pageSize, DefaultPageSize, errors) is not { } paging)
        {
            return errors.ToProblem();
        }

        var userId = Shopper(principal).Id;
        var mine = db.Orders.AsNoTracking().Where(o => o.UserId == userId);
        var total = await mine.CountAsync(cancellationToken);
        var items = paging.Skip >= total
            ? []
            : await mine
                .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
                .Skip(paging.Skip)
                .Take(paging.PageSize)
                .Include(o => o.Lines)
                .AsSplitQuery()
                .ToListAsync(cancellationToken);
        return TypedResults.Ok(new OrderPage(paging.Page, paging.PageSize, total, [.. items.Select(OrderDto.From)]));
    }

    public static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal principal, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var userId = Shopper(principal).Id;
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == id && o.UserId == userId, cancellationToken);
        return order is null ? NoSuchOrder(id) : TypedResults.Ok(OrderDto.From(order));
    }

    public static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> CancelAsync(
        Guid id, ClaimsPrincipal principal, OrdersDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = Shopper(principal).Id;
        var order = await db.InTransactionAsync(async ct =>
        {
            var order = await db.LockOrderAsync(id, ct);
            if (order is null || order.UserId != userId)
            {
                return null;
            }

            if (OrderTransitions.CancelledByOwner(db, order, time.GetUtcNow()))
            {
                await db.SaveChangesAsync(ct);
            }

            return OrderDto.From(order);
        }, cancellationToken);
        return order is null ? NoSuchOrder(id) : TypedResults.Ok(order);
    }

    private static ProblemHttpResult NoSuchOrder(Guid id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "No such order", detail: $"You have no order {id}.");

    /// <summary>The shopper policy admits only requests whose token names a user, so there is always one here.</summary>
    private static MallUser Shopper(ClaimsPrincipal principal) =>
        principal.MallUser() ?? throw new InvalidOperationException("A request reached orders without a user; the shopper policy should have refused it.");
}
