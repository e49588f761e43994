using TTMall.ServiceDefaults.Validation;

namespace TTMall.PaymentProvider;

/// <summary>What became of a refund request.</summary>
public abstract record RefundOutcome
{
    public sealed record Refunded(RefundDto Refund) : RefundOutcome;
    public sealed record Invalid(FieldErrors Errors) : RefundOutcome;
    public sealed record NoSuchCharge : RefundOutcome;

    /// <param name="Code">not_refundable (a failed charge), already_refunded or amount_too_large.</param>
    public sealed record Refused(string Code, string Detail) : RefundOutcome;

    public sealed record KeyReused : RefundOutcome;
}
