namespace TTMall.Payments;

/// <summary>The orders service did not answer usefully (down, timing out, failing, or off contract).</summary>
public sealed class OrdersUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
