namespace TTMall.Carts;

/// <summary>What a write did: the line's quantity afterwards (or unchanged, when refused) and when it was first added.</summary>
public sealed record CartWrite(CartWriteOutcome Outcome, int Quantity, DateTimeOffset? AddedAt);
