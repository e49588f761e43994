namespace TTMall.Bench.Checkout;

/// <summary>A checkout that did not end Paid; the benchmark counts it and goes on.</summary>
public sealed class CheckoutFailedException(string message) : Exception(message);
