using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using TTMall.Data.Idempotency;
using TTMall.Payments.Data;
using TTMall.ServiceDefaults.Security;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Payments;

public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/api/payments").WithTags("Payments").RequireAuthorization();
        payments.MapPost("/", PayAsync)
            .WithName("Pay")
            .WithSummary("Pays one of the signed-in shopper's orders with a card")
            .WithDescription("Needs an Idempotency-Key header (1 to 200 visible ASCII characters): the same key again is answered with the "
                + "same payment as it is now, the same key with another request is 422. The amount is the order's total. 201 when the card "
                + "was charged; 402 when it was declined (the order can be paid again with another card); 202 when the provider's answer is "
                + "not known yet (the payment is pending and settled shortly: read it with GET). An order that is not the shopper's is 404; "
                + "one not awaiting payment, or already being paid, is 409. Only the card's last four digits are kept.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        payments.MapGet("/", ListAsync)
            .WithName("ListPayments")
            .WithSummary("The signed-in shopper's payments of one order, newest first");
        return app;
    }

    public static async Task<Results<Created<PaymentDto>, Accepted<PaymentDto>, ProblemHttpResult, ValidationProblem, UnauthorizedHttpResult>> PayAsync(
        PaymentInput? input, ClaimsPrincipal principal, HttpRequest request, PaymentProcessor processor, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (principal.MallUser() is not { } shopper || AccessToken(request) is not { } token)
        {
            return TypedResults.Unauthorized();
        }

        var errors = new FieldErrors();
        var key = IdempotencyKeys.Read(request, errors);
        if (key is null && !errors.Any)
        {
            errors.Add(TTMall.ServiceDefaults.Http.RepeatableRequests.IdempotencyKeyHeader,
                "An Idempotency-Key header is required, so that a payment sent again is not charged twice.");
        }

        if (input?.OrderId is not { } orderId || orderId == Guid.Empty)
        {
            errors.Add("orderId", "orderId is required: the id of the order to pay.");
        }

        var card = PaymentCard.Parse(input?.Card, time.GetUtcNow(), errors);
        if (errors.Any || card is null)
        {
            return errors.ToProblem();
        }

        return await processor.PayAsync(shopper, token, key!, input!.OrderId!.Value, card, cancellationToken) switch
        {
            PaymentAttempt.Made { Payment: var payment } => payment.Status switch
            {
                PaymentStatus.Pending => TypedResults.Accepted($"/api/payments?orderId={payment.OrderId}", PaymentDto.From(payment)),
                PaymentStatus.Failed => Declined(payment),
                _ => TypedResults.Created($"/api/payments?orderId={payment.OrderId}", PaymentDto.From(payment)),
            },
            PaymentAttempt.NoSuchOrder => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "No such order", detail: "You have no order with this id."),
            PaymentAttempt.OrderNotPayable notPayable => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "The order is not awaiting payment",
                detail: $"The order is {notPayable.Status}; only an order awaiting payment can be paid."),
            PaymentAttempt.AlreadyPaying paying => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: paying.Status == PaymentStatus.Pending ? "The order is being paid" : "The order is paid",
                detail: paying.Status == PaymentStatus.Pending
                    ? "Another payment of this order is waiting for the card network's answer."
                    : "This order has been paid already; it is never charged twice."),
            _ => IdempotencyKeys.ReusedProblem(),
        };
    }

    public static async Task<Results<Ok<List<PaymentDto>>, ValidationProblem, UnauthorizedHttpResult>> ListAsync(
        ClaimsPrincipal principal, PaymentsDbContext db, CancellationToken cancellationToken,
        [Description("The order whose payments to list (one of yours).")] string? orderId = null)
    {
        if (principal.MallUser() is not { } shopper)
        {
            return TypedResults.Unauthorized();
        }

        if (!Guid.TryParse(orderId, out var order))
        {
            var errors = new FieldErrors();
            errors.Add("orderId", "orderId is required: the id of one of your orders.");
            return errors.ToProblem();
        }

        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.UserId == shopper.Id && p.OrderId == order)
            .OrderByDescending(p => p.CreatedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(payments.Select(PaymentDto.From).ToList());
    }

    private static ProblemHttpResult Declined(Payment payment) => TypedResults.Problem(
        statusCode: StatusCodes.Status402PaymentRequired,
        title: "The card was declined",
        detail: $"{payment.FailureReason} Nothing was charged; pay again with another card.",
        extensions: new Dictionary<string, object?> { ["code"] = "card_declined", ["paymentId"] = payment.Id });

    private static string? AccessToken(HttpRequest request) =>
        request.Headers[HeaderNames.Authorization].ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;
}
