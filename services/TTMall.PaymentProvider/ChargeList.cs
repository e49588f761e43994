namespace TTMall.PaymentProvider;

/// <summary>The charges made for one reference, oldest first.</summary>
public sealed record ChargeList(string Reference, IReadOnlyList<ChargeDto> Items);
