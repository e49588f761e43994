using Microsoft.EntityFrameworkCore;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Payments.Data;
using TTMall.Payments.Provider;

namespace TTMall.Payments.Refunds;

/// <summary>
/// Gives a succeeded payment back, once: the payment row is locked while the provider is asked (with a key derived
/// from the payment, so a redelivered request asks for the same refund), and the refund and its event commit together.
/// Runs inside the transaction of the consumer that asked for it.
/// </summary>
public sealed class Refunder(PaymentsDbContext db, PaymentProviderClient provider, TimeProvider time)
{
    public async Task RefundAsync(IQueryable<Payment> which, CancellationToken cancellationToken)
    {
        var ids = await which.Where(p => p.Status == PaymentStatus.Succeeded).Select(p => p.Id).ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            var payment = await db.Payments.FromSql($"SELECT * FROM payments WHERE \"Id\" = {id} FOR UPDATE").SingleAsync(cancellationToken);
            if (payment is not { Status: PaymentStatus.Succeeded, ProviderChargeId: { } chargeId })
            {
                continue;
            }

            payment.ProviderRefundId = await provider.RefundAsync(payment.Id, chargeId, payment.Amount, cancellationToken);
            payment.Status = PaymentStatus.Refunded;
            payment.RefundedAt = time.GetUtcNow();
            db.Publish(new PaymentRefunded(payment.Id, payment.OrderId, payment.Amount));
        }
    }
}
