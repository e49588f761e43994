using System.Net;
using System.Net.Http.Json;

namespace TTMall.PaymentProvider.Tests;

/// <summary>The test cards behave as documented, and each recorded charge can be read back for the books.</summary>
[Collection(ProviderCollection.Name)]
public class ChargeTests(ProviderFixture provider)
{
    [Fact]
    public async Task The_success_card_is_charged_and_shows_only_its_brand_and_last_four_digits()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();

        using var response = await http.ChargeAsync(ProviderApi.Body(reference, amount: 12.34m));
        var charge = (await response.Content.ReadFromJsonAsync<ChargeDto>())!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/charges/{charge.Id}", response.Headers.Location?.OriginalString);
        Assert.Matches("^ch_[0-9a-f]{24}$", charge.Id);
        Assert.Equal(("succeeded", 12.34m, "CNY", "visa", "4242", reference, 0m), (charge.Status, charge.Amount, charge.Currency, charge.Brand, charge.Last4, charge.Reference, charge.Refunded));
        Assert.Equal(charge, await http.GetFromJsonAsync<ChargeDto>($"/v1/charges/{charge.Id}"));
        Assert.Equal([charge], await http.ChargesAsync(reference));
    }

    [Theory]
    [InlineData("5555555555554444", "mastercard", "4444")]
    [InlineData("6200 0000 0000 0005", "unionpay", "0005")]
    [InlineData("3782 822463 10005", "amex", "0005")]
    public async Task Any_other_valid_number_succeeds(string number, string brand, string last4)
    {
        using var http = provider.Client();

        var charge = await http.ChargedAsync(ProviderApi.Body(ProviderApi.NewReference(), number, cvc: "1234"));

        Assert.Equal(("succeeded", brand, last4), (charge.Status, charge.Brand, charge.Last4));
    }

    [Fact]
    public async Task The_declined_card_is_402_card_declined_and_recorded_as_a_failed_charge()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();

        using var response = await http.ChargeAsync(ProviderApi.Body(reference, ProviderApi.Declined));

        var problem = await ProblemAssert.CodeAsync(response, HttpStatusCode.PaymentRequired, "card_declined");
        var recorded = Assert.Single(await http.ChargesAsync(reference));
        Assert.Equal(problem.Extension<string>("charge"), recorded.Id);
        Assert.Equal(("failed", "card_declined", "0002"), (recorded.Status, recorded.FailureCode, recorded.Last4));
    }

    [Fact]
    public async Task The_flaky_card_fails_twice_per_key_with_nothing_charged_then_succeeds_once()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();
        var key = Guid.NewGuid().ToString();
        var body = ProviderApi.Body(reference, ProviderApi.Flaky);

        using var first = await http.ChargeAsync(body, key);
        await ProblemAssert.CodeAsync(first, HttpStatusCode.ServiceUnavailable, "processing_error");
        Assert.Empty(await http.ChargesAsync(reference));
        using var second = await http.ChargeAsync(body, key);
        await ProblemAssert.CodeAsync(second, HttpStatusCode.ServiceUnavailable, "processing_error");
        Assert.Empty(await http.ChargesAsync(reference));
        var third = await http.ChargedAsync(body, key);
        var again = await http.ChargedAsync(body, key);

        Assert.Equal(third, again);
        Assert.Equal("succeeded", third.Status);
        Assert.Equal([third.Id], (await http.ChargesAsync(reference)).Select(c => c.Id));
    }

    [Fact]
    public async Task The_flaky_cards_failures_are_counted_per_key()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();
        var body = ProviderApi.Body(reference, ProviderApi.Flaky);

        using var one = await http.ChargeAsync(body, "key-a-" + reference);
        using var other = await http.ChargeAsync(body, "key-b-" + reference);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (one.StatusCode, other.StatusCode));
        Assert.Empty(await http.ChargesAsync(reference));
    }

    [Theory]
    [InlineData("ch_000000000000000000000000")]
    [InlineData("ch_x")]
    [InlineData("CH_000000000000000000000000")]
    public async Task An_unknown_charge_is_404(string id)
    {
        using var http = provider.Client();

        using var response = await http.GetAsync($"/v1/charges/{id}");

        await ProblemAssert.StatusAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?reference=")]
    [InlineData("?reference=%00")]
    public async Task Listing_charges_needs_a_reference(string query)
    {
        using var http = provider.Client();

        using var response = await http.GetAsync("/v1/charges" + query);

        await ProblemAssert.FieldErrorsAsync(response, "reference");
    }
}
