namespace TTMall.Orders.Data;

/// <summary>
/// Where the order goes, copied from the shopper's address book as the users service returned it when the order was
/// placed: editing or deleting that address later does not move a placed order.
/// </summary>
public sealed class ShippingAddress
{
    // As long as the users service allows, with room to spare.
    public const int MaxRecipientLength = 100;
    public const int MaxPhoneLength = 40;
    public const int MaxRegionLength = 100;
    public const int MaxLineLength = 500;
    public const int MaxPostalCodeLength = 20;

    /// <summary>The address's id in the users service.</summary>
    public Guid AddressId { get; set; }

    public required string Recipient { get; set; }
    public required string Phone { get; set; }
    public required string Province { get; set; }
    public required string City { get; set; }
    public required string District { get; set; }
    public required string Line { get; set; }
    public string? PostalCode { get; set; }
}
