using MassTransit;
using TTMall.Contracts;
using TTMall.Messaging;
using TTMall.Payments.Data;

namespace TTMall.Payments.Refunds;

/// <summary>Orders took no payment for the order any more (cancelled meanwhile, or paid already): this one is given back.</summary>
public sealed class PaymentRefundRequestedConsumer(PaymentsDbContext db, Refunder refunder)
    : InboxConsumer<PaymentsDbContext, PaymentRefundRequested>(db)
{
    protected override Task HandleAsync(PaymentRefundRequested message, ConsumeContext<PaymentRefundRequested> context, CancellationToken cancellationToken) =>
        refunder.RefundAsync(Db.Payments.Where(p => p.Id == message.PaymentId), cancellationToken);
}
