namespace TTMall.PaymentProvider;

/// <param name="Status">succeeded or failed.</param>
/// <param name="Refunded">The sum refunded so far (0 in the answer to the charge itself).</param>
/// <param name="FailureCode">Why a failed charge failed, such as card_declined.</param>
public sealed record ChargeDto(
    string Id, string Status, decimal Amount, string Currency, string Brand, string Last4, string Reference,
    decimal Refunded, string? FailureCode, DateTimeOffset Created);
