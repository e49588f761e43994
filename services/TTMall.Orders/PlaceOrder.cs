using System.ComponentModel;

namespace TTMall.Orders;

/// <summary>Turns the caller's cart into an order. No lines or prices: the cart says what, the products service what it costs.</summary>
public sealed record PlaceOrder(
    [property: Description("The id of one of the caller's addresses (users service) to deliver to.")] Guid? AddressId,
    [property: Description("The total, in CNY, the shopper was shown; when given and the current total differs, nothing is ordered (409).")]
    decimal? ExpectedTotal = null);
