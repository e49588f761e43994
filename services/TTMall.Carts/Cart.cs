namespace TTMall.Carts;

/// <summary>The caller's cart, priced with the products service's current prices.</summary>
/// <param name="Lines">Oldest first.</param>
/// <param name="ItemCount">Pieces in the cart, every line counted.</param>
/// <param name="Total">Sum of the line totals of the lines that have a price (not <c>unavailable</c> ones), in CNY.</param>
public sealed record Cart(IReadOnlyList<CartLine> Lines, int ItemCount, decimal Total, string Currency);
