namespace TTMall.Orders.Data;

/// <summary>
/// A shopper's order: what was bought at which price, where it goes, and where it is in its life. Lines, prices and
/// the address are copies taken when it was placed, so later changes to products or the address book do not change it.
/// </summary>
public sealed class Order
{
    public const int MaxReasonLength = 500;

    public Guid Id { get; set; }

    /// <summary>The shopper, from their access token.</summary>
    public Guid UserId { get; set; }

    public OrderStatus Status { get; set; }

    /// <summary>Sum of the lines' unit price × quantity, CNY.</summary>
    public decimal Total { get; set; }

    public required ShippingAddress Address { get; set; }

    public List<OrderItem> Lines { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when the stock is reserved: unpaid by then, the order is cancelled and the stock released.</summary>
    public DateTimeOffset? PaymentDeadline { get; set; }

    /// <summary>The payment that paid it.</summary>
    public Guid? PaymentId { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>Why the last payment attempt failed, shown to the shopper, who may pay again until the deadline.</summary>
    public string? PaymentFailure { get; set; }

    /// <summary>When anything about the order last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
