using System.Net;

namespace TTMall.PaymentProvider.Tests;

/// <summary>Bad charge requests are 400 naming every wrong field, charge nothing, and never echo the card.</summary>
[Collection(ProviderCollection.Name)]
public class ValidationTests(ProviderFixture provider)
{
    public static TheoryData<string, string, string, string, decimal, string> BadCharges => new()
    {
        // why, number, expiry, cvc, amount, currency → the one field named
        { "card.number", "4242 4242 4242 4241", "12/35", "123", 1m, "CNY" },
        { "card.number", "4242-4242-4242-4242", "12/35", "123", 1m, "CNY" },
        { "card.number", "42424242", "12/35", "123", 1m, "CNY" },
        { "card.number", "", "12/35", "123", 1m, "CNY" },
        { "card.expiry", ProviderApi.Good, "01/20", "123", 1m, "CNY" },
        { "card.expiry", ProviderApi.Good, "13/35", "123", 1m, "CNY" },
        { "card.expiry", ProviderApi.Good, "1235", "123", 1m, "CNY" },
        { "card.cvc", ProviderApi.Good, "12/35", "12", 1m, "CNY" },
        { "card.cvc", ProviderApi.Good, "12/35", "12a", 1m, "CNY" },
        { "card.cvc", ProviderApi.Good, "12/35", "12345", 1m, "CNY" },
        { "amount", ProviderApi.Good, "12/35", "123", 0m, "CNY" },
        { "amount", ProviderApi.Good, "12/35", "123", -5m, "CNY" },
        { "amount", ProviderApi.Good, "12/35", "123", 12.345m, "CNY" },
        { "currency", ProviderApi.Good, "12/35", "123", 1m, "USD" },
        { "currency", ProviderApi.Good, "12/35", "123", 1m, "cny" },
    };

    [Theory]
    [MemberData(nameof(BadCharges))]
    public async Task A_bad_field_is_400_naming_it_and_charges_nothing(string field, string number, string expiry, string cvc, decimal amount, string currency)
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();

        using var response = await http.ChargeAsync(ProviderApi.Body(reference, number, amount, expiry, cvc, currency));

        var problem = await ProblemAssert.FieldErrorsAsync(response, field);
        if (number.Length > 0)
        {
            Assert.DoesNotContain(problem.Errors.Values.SelectMany(m => m), m => m.Contains(number.Replace(" ", ""), StringComparison.Ordinal));
        }

        Assert.Empty(await http.ChargesAsync(reference));
    }

    [Fact]
    public async Task This_months_expiry_is_still_good()
    {
        using var http = provider.Client();
        var now = DateTime.UtcNow;

        var charge = await http.ChargedAsync(ProviderApi.Body(ProviderApi.NewReference(), expiry: $"{now:MM}/{now:yy}"));

        Assert.Equal("succeeded", charge.Status);
    }

    [Fact]
    public async Task Every_wrong_field_is_named_at_once()
    {
        using var http = provider.Client();

        using var response = await http.ChargeAsync(new { amount = 0, currency = "EUR", card = new { number = "1234", expiry = "99/99", cvc = "" }, reference = "" });

        await ProblemAssert.FieldErrorsAsync(response, "amount", "currency", "reference", "card.number", "card.expiry", "card.cvc");
    }

    [Fact]
    public async Task A_charge_without_a_card_or_a_body_is_400()
    {
        using var http = provider.Client();

        using var noCard = await http.ChargeAsync(new { amount = 1, currency = "CNY", reference = "order-1" });
        using var noBody = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/charges") { Headers = { { "Idempotency-Key", "k-" + Guid.NewGuid() } } });

        await ProblemAssert.FieldErrorsAsync(noCard, "card");
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
    }
}
