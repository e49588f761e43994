using Microsoft.AspNetCore.Http.HttpResults;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.PaymentProvider;

public static class SandboxApi
{
    public static IEndpointRouteBuilder MapSandboxApi(this IEndpointRouteBuilder app)
    {
        var latency = app.MapGroup("/v1/sandbox/latency").WithTags("Sandbox").RequireAuthorization();
        latency.MapGet("/", GetAsync)
            .WithName("GetLatency")
            .WithSummary("How long charges and refunds wait after being recorded, before they are answered")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        latency.MapPut("/", SetAsync)
            .WithName("SetLatency")
            .WithSummary("Makes every later charge and refund wait this long after being recorded (0 to 60,000 ms; 0 is off)")
            .WithDescription("For showing and testing a caller that times out after the provider charged. Kept in the provider's "
                + "database: every replica and a restarted one are equally slow. A repeated request (same Idempotency-Key) is "
                + "answered at once: it records nothing.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Ok<LatencyDto>> GetAsync(SandboxLatency latency, CancellationToken cancellationToken) =>
        TypedResults.Ok(new LatencyDto(await latency.GetAsync(cancellationToken)));

    public static async Task<Results<Ok<LatencyDto>, ValidationProblem>> SetAsync(
        LatencyInput? input, SandboxLatency latency, CancellationToken cancellationToken)
    {
        if (input?.Milliseconds is not { } milliseconds || milliseconds is < 0 or > SandboxLatency.MaxMilliseconds)
        {
            var errors = new FieldErrors();
            errors.Add("milliseconds", $"milliseconds is required, 0 (off) to {SandboxLatency.MaxMilliseconds}.");
            return errors.ToProblem();
        }

        await latency.SetAsync(milliseconds, cancellationToken);
        return TypedResults.Ok(new LatencyDto(milliseconds));
    }
}
