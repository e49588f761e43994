using System.Net;
using System.Net.Http.Json;

namespace TTMall.PaymentProvider.Tests;

/// <summary>
/// A charge is made at most once per Idempotency-Key: the guarantee the mall's payments rely on when they retry a call
/// that timed out after the provider had charged.
/// </summary>
[Collection(ProviderCollection.Name)]
public class IdempotencyTests(ProviderFixture provider)
{
    [Fact]
    public async Task The_same_key_and_body_again_returns_the_first_charge()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();
        var key = Guid.NewGuid().ToString();

        var first = await http.ChargedAsync(ProviderApi.Body(reference), key);
        // The same request, the number spaced differently: the same card.
        var again = await http.ChargedAsync(ProviderApi.Body(reference, "4242424242424242"), key);

        Assert.Equal(first, again);
        Assert.Single(await http.ChargesAsync(reference));
    }

    [Fact]
    public async Task The_same_key_five_times_at_once_makes_one_charge()
    {
        var reference = ProviderApi.NewReference();
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var http = provider.Client();
            using var response = await http.ChargeAsync(ProviderApi.Body(reference), key);
            return (response.StatusCode, Charge: await response.Content.ReadFromJsonAsync<ChargeDto>());
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Single(answers.Select(a => a.Charge!.Id).Distinct());
        using var check = provider.Client();
        Assert.Single(await check.ChargesAsync(reference));
    }

    [Fact]
    public async Task A_repeated_decline_is_the_same_402_with_the_same_failed_charge()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();
        var key = Guid.NewGuid().ToString();

        using var first = await http.ChargeAsync(ProviderApi.Body(reference, ProviderApi.Declined), key);
        using var again = await http.ChargeAsync(ProviderApi.Body(reference, ProviderApi.Declined), key);

        var firstProblem = await ProblemAssert.CodeAsync(first, HttpStatusCode.PaymentRequired, "card_declined");
        var againProblem = await ProblemAssert.CodeAsync(again, HttpStatusCode.PaymentRequired, "card_declined");
        Assert.Equal(firstProblem.Extension<string>("charge"), againProblem.Extension<string>("charge"));
        Assert.Single(await http.ChargesAsync(reference));
    }

    private static (string What, object Body)[] OtherBodies(string reference) =>
    [
        ("amount", ProviderApi.Body(reference, amount: 12.35m)),
        ("card", ProviderApi.Body(reference, "5555 5555 5555 4444")),
        ("cvc", ProviderApi.Body(reference, cvc: "321")),
        ("reference", ProviderApi.Body(reference + "-other")),
    ];

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_charges_nothing()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();
        var key = Guid.NewGuid().ToString();
        var first = await http.ChargedAsync(ProviderApi.Body(reference), key);

        foreach (var (what, body) in OtherBodies(reference))
        {
            using var response = await http.ChargeAsync(body, key);
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"another {what}: {(int)response.StatusCode}");
            await ProblemAssert.StatusAsync(response, HttpStatusCode.UnprocessableEntity);
        }

        using var refund = await http.RefundAsync(first.Id, 1m, key);
        await ProblemAssert.StatusAsync(refund, HttpStatusCode.UnprocessableEntity);
        Assert.Equal([first], await http.ChargesAsync(reference));
        Assert.Empty(await http.ChargesAsync(reference + "-other"));
    }

    [Fact]
    public async Task A_charge_without_a_key_is_400_naming_the_header_and_charges_nothing()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();

        using var response = await http.SendAsync(ProviderApi.Post("/v1/charges", ProviderApi.Body(reference), key: null));

        await ProblemAssert.FieldErrorsAsync(response, "Idempotency-Key");
        Assert.Empty(await http.ChargesAsync(reference));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    public async Task A_malformed_key_is_400_naming_the_header(string key)
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();

        using var response = await http.SendAsync(ProviderApi.Post("/v1/charges", ProviderApi.Body(reference), key));

        await ProblemAssert.FieldErrorsAsync(response, "Idempotency-Key");
        Assert.Empty(await http.ChargesAsync(reference));
    }
}
