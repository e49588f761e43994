namespace TTMall.Users.Data;

/// <summary>A delivery address in the shape Chinese shops use: province, city, district, then the street line.</summary>
public sealed class Address
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string Recipient { get; set; }
    public required string Phone { get; set; }
    public required string Province { get; set; }
    public required string City { get; set; }
    public required string District { get; set; }
    public required string Line { get; set; }
    public string? PostalCode { get; set; }

    /// <summary>Exactly one of a user's addresses is the default while they have any (a partial unique index backs this).</summary>
    public bool IsDefault { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
