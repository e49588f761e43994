namespace TTMall.Checkout.Tests;

/// <summary>A charge as the provider's API shows it.</summary>
internal sealed record ProviderCharge(string Id, string Status, decimal Amount, string Reference, decimal Refunded, string? FailureCode);
