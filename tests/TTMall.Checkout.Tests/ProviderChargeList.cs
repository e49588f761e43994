namespace TTMall.Checkout.Tests;

internal sealed record ProviderChargeList(string Reference, List<ProviderCharge> Items);
