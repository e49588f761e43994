namespace TTMall.PaymentProvider;

public sealed record LatencyDto(int Milliseconds);
