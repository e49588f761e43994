using TTMall.Orders.Data;

namespace TTMall.Orders;

/// <summary>The delivery address as it was when the order was placed.</summary>
/// <param name="AddressId">The address's id in the shopper's address book (it may have changed or gone since).</param>
public sealed record OrderAddressDto(
    Guid AddressId, string Recipient, string Phone, string Province, string City, string District, string Line, string? PostalCode)
{
    public static OrderAddressDto From(ShippingAddress a) => new(a.AddressId, a.Recipient, a.Phone, a.Province, a.City, a.District, a.Line, a.PostalCode);
}
