namespace TTMall.PaymentProvider;

/// <param name="Status">Always succeeded: the sandbox refunds at once.</param>
public sealed record RefundDto(string Id, string Charge, decimal Amount, string Status, DateTimeOffset Created);
