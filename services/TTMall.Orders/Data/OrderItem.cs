namespace TTMall.Orders.Data;

/// <summary>One product of an order, with the name and price it had when the order was placed.</summary>
public sealed class OrderItem
{
    public const int MaxNameLength = 200;

    public Guid OrderId { get; set; }

    /// <summary>The line's place in the order, from 1, in the cart's order.</summary>
    public int LineNumber { get; set; }

    public int ProductId { get; set; }
    public required string Name { get; set; }
    public int Quantity { get; set; }

    /// <summary>CNY, as the products service priced it when the order was placed.</summary>
    public decimal UnitPrice { get; set; }
}
