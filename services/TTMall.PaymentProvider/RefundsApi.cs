using Microsoft.AspNetCore.Http.HttpResults;
using TTMall.Data.Idempotency;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.PaymentProvider;

public static class RefundsApi
{
    public static IEndpointRouteBuilder MapRefundsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/refunds", CreateAsync)
            .WithTags("Refunds")
            .RequireAuthorization()
            .WithName("CreateRefund")
            .WithSummary("Refunds a succeeded charge, in part or in full")
            .WithDescription("Idempotency-Key is required. Without an amount, all that is not yet refunded. The refunds of a charge "
                + "never add up to more than it: beyond that is 409 (amount_too_large, already_refunded); a failed charge is 409 "
                + "(not_refundable), an unknown one 404.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Results<Created<RefundDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        RefundInput? input, HttpRequest request, RefundDesk desk, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var key = RequiredIdempotencyKey.Read(request, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await desk.RefundAsync(key!, input ?? new RefundInput(null, null), cancellationToken) switch
        {
            RefundOutcome.Refunded refunded => TypedResults.Created($"/v1/charges/{refunded.Refund.Charge}", refunded.Refund),
            RefundOutcome.Invalid invalid => invalid.Errors.ToProblem(),
            RefundOutcome.NoSuchCharge => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No such charge",
                detail: "There is no charge with this id.",
                extensions: new Dictionary<string, object?> { ["code"] = "no_such_charge" }),
            RefundOutcome.Refused refused => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Refund refused",
                detail: refused.Detail,
                extensions: new Dictionary<string, object?> { ["code"] = refused.Code }),
            _ => IdempotencyKeys.ReusedProblem(),
        };
    }
}
