namespace TTMall.Contracts;

/// <summary>The order is cancelled: products releases what it reserved for it, if anything; payments refunds its succeeded payment when WasPaid.</summary>
public sealed record OrderCancelled(Guid OrderId, Guid UserId, string Reason, IReadOnlyList<OrderLine> Lines, bool WasPaid);
