using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TTMall.Data.Idempotency;
using TTMall.PaymentProvider.Data;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.PaymentProvider;

public static class ChargesApi
{
    /// <summary>How long a caller is told to wait before retrying after a transient failure.</summary>
    public const int RetryAfterSeconds = 1;

    public static IEndpointRouteBuilder MapChargesApi(this IEndpointRouteBuilder app)
    {
        var charges = app.MapGroup("/v1/charges").WithTags("Charges").RequireAuthorization();
        charges.MapPost("/", CreateAsync)
            .WithName("CreateCharge")
            .WithSummary("Charges a card")
            .WithDescription("Idempotency-Key is required; the same key with the same body is answered with the first result "
                + "(same charge, same status), with another body 422. Test cards: 4242 4242 4242 4242 succeeds, "
                + "4000 0000 0000 0002 is declined (402, code card_declined, recorded as a failed charge), 4000 0000 0000 0119 "
                + "fails with 503 twice per key and then succeeds; any other valid number succeeds.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        charges.MapGet("/", ListAsync)
            .WithName("ListCharges")
            .WithSummary("The charges made for a reference, oldest first, with what was refunded of each")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        charges.MapGet("/{id}", GetAsync)
            .WithName("GetCharge")
            .WithSummary("One charge, with what was refunded of it")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<ChargeDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        ChargeInput? input, HttpContext context, ChargeDesk desk, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var key = RequiredIdempotencyKey.Read(context.Request, errors);
        var charge = ChargeRules.Validate(input, time.GetUtcNow(), errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        switch (await desk.ChargeAsync(key!, charge!, cancellationToken))
        {
            case ChargeOutcome.Recorded { Charge.Status: ChargeStatus.Succeeded } recorded:
                return TypedResults.Created($"/v1/charges/{recorded.Charge.Id}", recorded.Charge);
            case ChargeOutcome.Recorded recorded:
                return Declined(recorded.Charge);
            case ChargeOutcome.TryAgain:
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Processing error",
                    detail: "The card network did not answer in time; nothing was charged. Send the same request again with the same Idempotency-Key.",
                    extensions: new Dictionary<string, object?> { ["code"] = "processing_error" });
            default:
                return IdempotencyKeys.ReusedProblem();
        }
    }

    public static async Task<Results<Ok<ChargeList>, ValidationProblem>> ListAsync(
        [Description("The reference the charges were made with, 1 to 200 characters.")] string? reference,
        ProviderDbContext db, CancellationToken cancellationToken)
    {
        // The same rule as when the charge was made, so the same text finds it.
        var errors = new FieldErrors();
        reference = errors.Text("reference", reference, Charge.MaxReferenceLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var charges = await db.Charges.AsNoTracking()
            .Where(c => c.Reference == reference)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ChargeList(reference, charges.Select(ChargeDesk.ToDto).ToList()));
    }

    public static async Task<Results<Ok<ChargeDto>, NotFound>> GetAsync(string id, ProviderDbContext db, CancellationToken cancellationToken) =>
        Ids.IsCharge(id) && await db.Charges.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is { } charge
            ? TypedResults.Ok(ChargeDesk.ToDto(charge))
            : TypedResults.NotFound();

    /// <summary>402 as card networks answer a decline, naming the failed charge that records it.</summary>
    private static ProblemHttpResult Declined(ChargeDto charge) => TypedResults.Problem(
        statusCode: StatusCodes.Status402PaymentRequired,
        title: "Card declined",
        detail: $"The {charge.Brand} card ending {charge.Last4} was declined; nothing was charged.",
        extensions: new Dictionary<string, object?> { ["code"] = charge.FailureCode, ["charge"] = charge.Id });
}
