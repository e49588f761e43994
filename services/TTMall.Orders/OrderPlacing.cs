using Microsoft.AspNetCore.Http.HttpResults;
using TTMall.ServiceDefaults.Validation;

namespace TTMall.Orders;

/// <summary>What became of a request to place an order.</summary>
public abstract record OrderPlacing
{
    /// <param name="Repeated">The Idempotency-Key was used before: this is the order placed then.</param>
    public sealed record Placed(OrderDto Order, bool Repeated) : OrderPlacing;

    /// <summary>400: bad input, per field.</summary>
    public sealed record Invalid(FieldErrors Errors) : OrderPlacing;

    /// <summary>The cart cannot become an order as it is (empty, a product gone or short, prices changed): a 409 problem.</summary>
    public sealed record Refused(ProblemHttpResult Problem) : OrderPlacing;

    public sealed record KeyReused : OrderPlacing;
}
