namespace TTMall.Orders;

/// <param name="Total">How many orders the caller has in all.</param>
public sealed record OrderPage(int Page, int PageSize, int Total, IReadOnlyList<OrderDto> Items);
