using Microsoft.EntityFrameworkCore;
using TTMall.Data.Idempotency;
using TTMall.PaymentProvider.Data;

namespace TTMall.PaymentProvider;

/// <summary>
/// Charges a card at most once per Idempotency-Key: the charge and the key's result are committed together
/// (<see cref="IdempotencyKeys.OnceAsync"/>), so a repeat, even one sent while the first is still running, gets the
/// first result and never a second charge. A declined card is a result too (a failed charge), repeated alike.
/// </summary>
public sealed class ChargeDesk(ProviderDbContext db, CardFingerprints fingerprints, SandboxLatency latency, TimeProvider time)
{
    public async Task<ChargeOutcome> ChargeAsync(string key, ValidCharge charge, CancellationToken cancellationToken)
    {
        var request = IdempotentRequest.For(ApiKeyAuthentication.Caller, key, "charge", fingerprints.Of(charge));

        // The flaky test card fails before anything is recorded, so its failures must be counted apart from the key,
        // whose result is stored only with a charge. Once the key has a result, repeats are answered from it.
        if (charge.Card.Digits == TestCards.FailsTwiceThenSucceeds
            && !await AnsweredAsync(key, cancellationToken)
            && await CountAttemptAsync(key, cancellationToken) <= TestCards.TransientFailures)
        {
            return new ChargeOutcome.TryAgain();
        }

        // Not cancelled when the caller goes away: a network that has begun a charge finishes it, and the caller
        // learns of it by retrying with the same key. That is the case the checkout must survive.
        var write = await db.OnceAsync(request, ct => RecordAsync(charge, key, ct), CancellationToken.None);
        if (write is not IdempotentWrite<ChargeDto>.Done done)
        {
            return new ChargeOutcome.KeyReused();
        }

        if (!done.Repeated)
        {
            // After the commit: the charge exists whether or not the caller is still waiting for this answer.
            await latency.WaitAsync(cancellationToken);
        }

        return new ChargeOutcome.Recorded(done.Result, done.Repeated);
    }

    private async Task<ChargeDto> RecordAsync(ValidCharge input, string key, CancellationToken cancellationToken)
    {
        var declined = input.Card.Digits == TestCards.Declined;
        var charge = new Charge
        {
            Id = Ids.NewCharge(),
            Amount = input.Amount,
            Currency = input.Currency,
            Status = declined ? ChargeStatus.Failed : ChargeStatus.Succeeded,
            FailureCode = declined ? TestCards.DeclinedCode : null,
            Brand = input.Card.Brand,
            Last4 = input.Card.Last4,
            Reference = input.Reference,
            CreatedAt = PostgresTime.Truncate(time.GetUtcNow()),
        };
        db.Charges.Add(charge);
        await db.SaveChangesAsync(cancellationToken);
        // The key has its result now; its failure count has done its work.
        await db.TransientAttempts.Where(a => a.Owner == ApiKeyAuthentication.Caller && a.Key == key).ExecuteDeleteAsync(cancellationToken);
        return ToDto(charge);
    }

    private Task<bool> AnsweredAsync(string key, CancellationToken cancellationToken) =>
        db.Set<StoredIdempotencyKey>().AnyAsync(k => k.Owner == ApiKeyAuthentication.Caller && k.Key == key && k.Result != null, cancellationToken);

    /// <summary>One more attempt under <paramref name="key"/>, counted in one statement so that attempts at the same moment each count.</summary>
    private async Task<int> CountAttemptAsync(string key, CancellationToken cancellationToken)
    {
        // Counts of keys that never got their charge are forgotten with the keys themselves, after a day.
        var forgotten = time.GetUtcNow() - IdempotencyKeys.Retention;
        await db.TransientAttempts.Where(a => a.CreatedAt < forgotten).ExecuteDeleteAsync(cancellationToken);
        var counts = await db.Database.SqlQuery<int>(
            $"""
            INSERT INTO transient_attempts ("Owner", "Key", "Attempts", "CreatedAt")
            VALUES ({ApiKeyAuthentication.Caller}, {key}, 1, {time.GetUtcNow()})
            ON CONFLICT ("Owner", "Key") DO UPDATE SET "Attempts" = transient_attempts."Attempts" + 1
            RETURNING "Attempts" AS "Value"
            """).ToListAsync(cancellationToken);
        return counts.Single();
    }

    public static ChargeDto ToDto(Charge charge) => new(
        charge.Id, charge.Status, charge.Amount, charge.Currency, charge.Brand, charge.Last4, charge.Reference,
        charge.Refunded, charge.FailureCode, charge.CreatedAt);
}
