using System.Text.Json.Serialization;

namespace TTMall.Carts;

[JsonConverter(typeof(JsonStringEnumConverter<CartLineStatus>))]
public enum CartLineStatus
{
    /// <summary>The product exists and its stock covers the line.</summary>
    [JsonStringEnumMemberName("available")]
    Available,

    /// <summary>The product exists but has less stock than the line holds (possibly none).</summary>
    [JsonStringEnumMemberName("insufficientStock")]
    InsufficientStock,

    /// <summary>The product no longer exists; the line has no price and counts toward no total.</summary>
    [JsonStringEnumMemberName("unavailable")]
    Unavailable,
}
