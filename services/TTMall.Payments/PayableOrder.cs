namespace TTMall.Payments;

/// <summary>What payments reads of an order: whose it is (it was found with the shopper's token), its state, its total.</summary>
public sealed record PayableOrder(Guid Id, string Status, decimal Total)
{
    public const string AwaitingPayment = "AwaitingPayment";

    public bool IsAwaitingPayment => string.Equals(Status, AwaitingPayment, StringComparison.OrdinalIgnoreCase);
}
