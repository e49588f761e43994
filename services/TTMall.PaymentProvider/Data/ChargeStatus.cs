namespace TTMall.PaymentProvider.Data;

public static class ChargeStatus
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
