namespace TTMall.PaymentProvider.Data;

/// <summary>
/// A charge attempt the network decided on: succeeded (money taken) or failed (declined). Of the card only what a
/// receipt shows is kept: its brand and last four digits, never the number, expiry or CVC.
/// </summary>
public sealed class Charge
{
    public const int IdLength = 27;
    public const int MaxReferenceLength = 200;

    /// <summary><c>ch_</c> and 24 random hex digits.</summary>
    public required string Id { get; init; }

    public required decimal Amount { get; init; }
    public required string Currency { get; init; }

    /// <summary><see cref="ChargeStatus.Succeeded"/> or <see cref="ChargeStatus.Failed"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Why a failed charge failed, such as <c>card_declined</c>.</summary>
    public string? FailureCode { get; init; }

    public required string Brand { get; init; }
    public required string Last4 { get; init; }

    /// <summary>The caller's own name for what is paid (an order id), to find its charges again.</summary>
    public required string Reference { get; init; }

    /// <summary>The sum of the charge's refunds; never above <see cref="Amount"/> (a check constraint says so too).</summary>
    public decimal Refunded { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
