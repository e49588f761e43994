namespace TTMall.Carts;

public enum CartWriteOutcome
{
    Written,

    /// <summary>The product is not in the cart yet and the cart already has <see cref="CartStore.MaxLines"/> lines.</summary>
    CartFull,

    /// <summary>The line would hold more than <see cref="CartStore.MaxQuantity"/>.</summary>
    LineLimit,

    /// <summary>The line would hold more than the stock the caller passed.</summary>
    InsufficientStock,
}
