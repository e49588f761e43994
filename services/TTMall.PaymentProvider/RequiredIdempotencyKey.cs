using TTMall.Data.Idempotency;
using TTMall.ServiceDefaults.Http;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.PaymentProvider;

/// <summary>Unlike the mall's own services, the network takes no money-moving request without an Idempotency-Key.</summary>
public static class RequiredIdempotencyKey
{
    public static string? Read(HttpRequest request, FieldErrors errors)
    {
        if (!request.Headers.ContainsKey(RepeatableRequests.IdempotencyKeyHeader))
        {
            errors.Add(RepeatableRequests.IdempotencyKeyHeader,
                $"{RepeatableRequests.IdempotencyKeyHeader} is required: a charge or refund is retried safely only under the same key.");
            return null;
        }

        return IdempotencyKeys.Read(request, errors);
    }
}
