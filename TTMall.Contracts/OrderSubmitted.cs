namespace TTMall.Contracts;

/// <summary>An order was placed; its stock is to be reserved and the shopper's cart cleared.</summary>
public sealed record OrderSubmitted(Guid OrderId, Guid UserId, IReadOnlyList<OrderLine> Lines, decimal Total, DateTimeOffset SubmittedAt);
