using TTMall.ServiceDefaults.Validation;

namespace TTMall.Products;

/// <summary>What became of a price a member of staff set.</summary>
public abstract record PriceSetting
{
    /// <param name="Changed">False when the product already had that price: nothing was written or announced.</param>
    public sealed record Set(ProductDto Product, bool Changed) : PriceSetting;
    public sealed record Invalid(FieldErrors Errors) : PriceSetting;
    public sealed record NoProduct : PriceSetting;
}
