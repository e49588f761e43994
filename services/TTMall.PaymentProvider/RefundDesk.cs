using Microsoft.EntityFrameworkCore;
using TTMall.Data.Idempotency;
using TTMall.PaymentProvider.Data;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.PaymentProvider;

/// <summary>
/// Refunds succeeded charges, never more in total than was charged: the charge's row is locked while its refunded sum
/// is checked and raised, so refunds at the same moment take turns, and a check constraint stands behind the code.
/// At most once per Idempotency-Key, like charges; a refused refund leaves its key free.
/// </summary>
public sealed class RefundDesk(ProviderDbContext db, SandboxLatency latency, TimeProvider time)
{
    public async Task<RefundOutcome> RefundAsync(string key, RefundInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var chargeId = input.Charge?.Trim() ?? "";
        if (chargeId.Length == 0)
        {
            errors.Add("charge", "charge is required: the id (ch_…) of the charge to refund.");
        }
        else if (!Ids.IsCharge(chargeId))
        {
            errors.Add("charge", $"charge must be a charge id: {Ids.ChargePrefix} and 24 hexadecimal digits.");
        }

        var amount = errors.Amount("amount", input.Amount, required: false);
        if (errors.Any)
        {
            return new RefundOutcome.Invalid(errors);
        }

        var request = IdempotentRequest.For(ApiKeyAuthentication.Caller, key, "refund",
            new { charge = chargeId, amount = amount is { } a ? Money.Canonical(a) : null });
        IdempotentWrite<RefundDto> write;
        try
        {
            // As a charge: begun, it is finished whether or not the caller is still waiting.
            write = await db.OnceAsync(request, ct => RecordAsync(chargeId, amount, ct), CancellationToken.None);
        }
        catch (Refusal refusal)
        {
            return refusal.Outcome;
        }

        if (write is not IdempotentWrite<RefundDto>.Done done)
        {
            return new RefundOutcome.KeyReused();
        }

        if (!done.Repeated)
        {
            await latency.WaitAsync(cancellationToken);
        }

        return new RefundOutcome.Refunded(done.Result);
    }

    private async Task<RefundDto> RecordAsync(string chargeId, decimal? amount, CancellationToken cancellationToken)
    {
        var found = await db.Charges.FromSql($"""SELECT * FROM charges WHERE "Id" = {chargeId} FOR UPDATE""").ToListAsync(cancellationToken);
        var charge = found.SingleOrDefault() ?? throw new Refusal(new RefundOutcome.NoSuchCharge());
        if (charge.Status != ChargeStatus.Succeeded)
        {
            throw new Refusal(new RefundOutcome.Refused("not_refundable", $"Charge {charge.Id} failed; nothing was taken, so nothing can be given back."));
        }

        var left = charge.Amount - charge.Refunded;
        if (left == 0)
        {
            throw new Refusal(new RefundOutcome.Refused("already_refunded", $"Charge {charge.Id} has been refunded in full."));
        }

        var refunding = amount ?? left;
        if (refunding > left)
        {
            throw new Refusal(new RefundOutcome.Refused("amount_too_large",
                $"At most {Money.Canonical(left)} of charge {charge.Id} can still be refunded ({Money.Canonical(charge.Refunded)} of {Money.Canonical(charge.Amount)} already was)."));
        }

        var refund = new Refund { Id = Ids.NewRefund(), ChargeId = charge.Id, Amount = refunding, CreatedAt = PostgresTime.Truncate(time.GetUtcNow()) };
        charge.Refunded += refunding;
        db.Refunds.Add(refund);
        await db.SaveChangesAsync(cancellationToken);
        return new RefundDto(refund.Id, refund.ChargeId, refund.Amount, ChargeStatus.Succeeded, refund.CreatedAt);
    }

    /// <summary>A refusal found inside the transaction: thrown so that it rolls back, key included.</summary>
    private sealed class Refusal(RefundOutcome outcome) : Exception
    {
        public RefundOutcome Outcome { get; } = outcome;
    }
}
