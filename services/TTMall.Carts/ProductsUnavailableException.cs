namespace TTMall.Carts;

/// <summary>The products service did not answer usefully (down, timing out, failing, or off contract).</summary>
public sealed class ProductsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
