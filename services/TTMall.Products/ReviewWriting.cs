using TTMall.ServiceDefaults.Validation;

namespace TTMall.Products;

/// <summary>What became of a review a shopper sent.</summary>
public abstract record ReviewWriting
{
    public sealed record Written(ReviewDto Review) : ReviewWriting;
    public sealed record Invalid(FieldErrors Errors) : ReviewWriting;
    public sealed record NoProduct : ReviewWriting;
    public sealed record AlreadyReviewed : ReviewWriting;
    public sealed record KeyReused : ReviewWriting;
}
