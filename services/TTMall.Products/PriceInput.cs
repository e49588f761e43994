namespace TTMall.Products;

/// <param name="Price">The new price in yuan: more than 0, at most <see cref="PriceSetter.MaxPrice"/>, exact to the fen (two decimals).</param>
public sealed record PriceInput(decimal? Price);
