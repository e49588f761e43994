using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TTMall.Contracts;
using TTMall.Data;
using TTMall.Messaging;
using TTMall.Payments.Data;
using TTMall.Payments.Provider;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Payments;

/// <summary>
/// Pays an order at most once. The payment is recorded (pending) before the provider is asked, under two unique
/// indexes: one per shopper and Idempotency-Key (a repeat finds it) and one per order among payments that may take
/// money (a second payment of the order, with any key, is refused). The provider is asked with a key derived from the
/// payment, so asking again never charges twice; its answer and the event saying so commit together, once.
/// </summary>
public sealed class PaymentProcessor(
    PaymentsDbContext db, OrdersClient orders, PaymentProviderClient provider, TimeProvider time)
{
    public async Task<PaymentAttempt> PayAsync(
        MallUser shopper, string accessToken, string idempotencyKey, Guid orderId, PaymentCard card, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(orderId, card);
        var payment = await FindAsync(shopper.Id, idempotencyKey, cancellationToken);
        if (payment is null)
        {
            var order = await orders.GetAsync(orderId, accessToken, cancellationToken);
            if (order is null)
            {
                return new PaymentAttempt.NoSuchOrder();
            }

            if (!order.IsAwaitingPayment)
            {
                return new PaymentAttempt.OrderNotPayable(order.Status);
            }

            payment = new Payment
            {
                Id = Guid.CreateVersion7(),
                OrderId = orderId,
                UserId = shopper.Id,
                IdempotencyKey = idempotencyKey,
                RequestFingerprint = fingerprint,
                Amount = order.Total,
                Status = PaymentStatus.Pending,
                CardLast4 = card.Last4,
                CreatedAt = time.GetUtcNow(),
            };
            db.Payments.Add(payment);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                db.ChangeTracker.Clear();
                payment = await FindAsync(shopper.Id, idempotencyKey, cancellationToken);
                if (payment is null)
                {
                    // Not this key: the order already has a payment that is pending or took the money.
                    var other = await db.Payments.AsNoTracking()
                        .Where(p => p.OrderId == orderId && p.Status != PaymentStatus.Failed)
                        .Select(p => (PaymentStatus?)p.Status)
                        .FirstOrDefaultAsync(cancellationToken);
                    return new PaymentAttempt.AlreadyPaying(other ?? PaymentStatus.Pending);
                }
            }
        }

        if (payment.RequestFingerprint != fingerprint)
        {
            return new PaymentAttempt.KeyReused();
        }

        if (payment.Status == PaymentStatus.Pending)
        {
            payment = await ChargeAsync(payment, card, cancellationToken);
        }

        return new PaymentAttempt.Made(payment);
    }

    /// <summary>Asks the provider (again, with the same key) and records a deciding answer; an undecided one leaves it pending.</summary>
    public async Task<Payment> ChargeAsync(Payment payment, PaymentCard card, CancellationToken cancellationToken)
    {
        var outcome = await provider.ChargeAsync(payment.Id, payment.OrderId, payment.Amount, card, cancellationToken);
        await DecideAsync(payment.Id, outcome, cancellationToken);
        return await db.Payments.AsNoTracking().SingleAsync(p => p.Id == payment.Id, cancellationToken);
    }

    /// <summary>
    /// Records what the provider said, if the payment is still pending: only the first answer to arrive counts (two
    /// repeats of one request may both ask), and the event that announces it is written with it.
    /// </summary>
    public Task DecideAsync(Guid paymentId, ChargeOutcome outcome, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var payment = await db.Payments
                .FromSql($"SELECT * FROM payments WHERE \"Id\" = {paymentId} FOR UPDATE")
                .SingleAsync(ct);
            if (payment.Status != PaymentStatus.Pending)
            {
                return;
            }

            payment.Attempts++;
            switch (outcome)
            {
                case ChargeOutcome.Charged charged:
                    payment.Status = PaymentStatus.Succeeded;
                    payment.ProviderChargeId = charged.ChargeId;
                    payment.CompletedAt = time.GetUtcNow();
                    db.Publish(new PaymentSucceeded(payment.Id, payment.OrderId, payment.UserId, payment.Amount));
                    break;
                case ChargeOutcome.Declined declined:
                    payment.Status = PaymentStatus.Failed;
                    payment.FailureReason = Truncate(declined.Reason);
                    payment.CompletedAt = time.GetUtcNow();
                    db.Publish(new PaymentFailed(payment.Id, payment.OrderId, payment.UserId, payment.FailureReason));
                    break;
                case ChargeOutcome.Unknown unknown:
                    payment.FailureReason = Truncate(unknown.Reason);
                    break;
            }

            await db.SaveChangesAsync(ct);
        }, cancellationToken);

    private Task<Payment?> FindAsync(Guid userId, string idempotencyKey, CancellationToken cancellationToken) =>
        db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId && p.IdempotencyKey == idempotencyKey, cancellationToken);

    /// <summary>The order and the card's last digits and expiry: enough to tell another request, without keeping a hash of the whole number.</summary>
    private static string Fingerprint(Guid orderId, PaymentCard card) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{orderId:N}|{card.Last4}|{card.Expiry}")));

    private static string Truncate(string reason) => reason.Length <= Payment.MaxReasonLength ? reason : reason[..Payment.MaxReasonLength];
}
