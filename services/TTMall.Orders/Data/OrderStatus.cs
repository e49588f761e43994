using System.Text.Json.Serialization;

namespace TTMall.Orders.Data;

/// <summary>
/// Where an order is in its life: Submitted → AwaitingPayment → Paid, and Cancelled from any of them. Stored by name,
/// so the column reads the same as the API.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    /// <summary>Written; the products service has not yet said whether it holds the stock.</summary>
    [JsonStringEnumMemberName("submitted")]
    Submitted,

    /// <summary>The stock is held for the order until <see cref="Order.PaymentDeadline"/>.</summary>
    [JsonStringEnumMemberName("awaitingPayment")]
    AwaitingPayment,

    [JsonStringEnumMemberName("paid")]
    Paid,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
