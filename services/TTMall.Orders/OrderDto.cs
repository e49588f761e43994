using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>An order as the API returns it.</summary>
/// <param name="Total">CNY, the sum of the line totals.</param>
/// <param name="PaymentDeadline">When an unpaid order is cancelled; null until the stock is reserved (status awaitingPayment).</param>
/// <param name="CancelReason">Why it was cancelled; null unless cancelled.</param>
/// <param name="PaymentFailure">Why the last payment attempt failed; the shopper may pay again until the deadline.</param>
public sealed record OrderDto(
    Guid Id, OrderStatus Status, IReadOnlyList<OrderLineDto> Lines, decimal Total, string Currency, OrderAddressDto Address,
    DateTimeOffset CreatedAt, DateTimeOffset? PaymentDeadline, DateTimeOffset? PaidAt, DateTimeOffset? CancelledAt,
    string? CancelReason, string? PaymentFailure)
{
    public const string Cny = "CNY";

    public static OrderDto From(Order order) => new(
        order.Id,
        order.Status,
        [.. order.Lines.OrderBy(l => l.LineNumber).Select(l => new OrderLineDto(l.ProductId, l.Name, l.Quantity, l.UnitPrice, l.UnitPrice * l.Quantity))],
        order.Total,
        Cny,
        OrderAddressDto.From(order.Address),
        order.CreatedAt,
        order.PaymentDeadline,
        order.PaidAt,
        order.CancelledAt,
        order.CancelReason,
        order.PaymentFailure);
}
