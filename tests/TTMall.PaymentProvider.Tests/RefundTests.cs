using System.Net;
using System.Net.Http.Json;

namespace TTMall.PaymentProvider.Tests;

/// <summary>Refunds give back at most what was charged, once per key, and only from succeeded charges.</summary>
[Collection(ProviderCollection.Name)]
public class RefundTests(ProviderFixture provider)
{
    [Fact]
    public async Task A_full_refund_is_made_once_and_a_second_is_409()
    {
        using var http = provider.Client();
        var charge = await http.ChargedAsync(ProviderApi.Body(ProviderApi.NewReference(), amount: 20m));

        using var first = await http.RefundAsync(charge.Id, amount: null);
        var refund = (await first.Content.ReadFromJsonAsync<RefundDto>())!;
        using var second = await http.RefundAsync(charge.Id, amount: null);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Matches("^re_[0-9a-f]{24}$", refund.Id);
        Assert.Equal((charge.Id, 20m, "succeeded"), (refund.Charge, refund.Amount, refund.Status));
        await ProblemAssert.CodeAsync(second, HttpStatusCode.Conflict, "already_refunded");
        Assert.Equal(20m, (await http.GetFromJsonAsync<ChargeDto>($"/v1/charges/{charge.Id}"))!.Refunded);
    }

    [Fact]
    public async Task Partial_refunds_add_up_to_at_most_the_charge()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();
        var charge = await http.ChargedAsync(ProviderApi.Body(reference, amount: 10m));

        using var part = await http.RefundAsync(charge.Id, 6.5m);
        using var tooMuch = await http.RefundAsync(charge.Id, 3.51m);
        using var rest = await http.RefundAsync(charge.Id, 3.5m);

        Assert.Equal(HttpStatusCode.Created, part.StatusCode);
        await ProblemAssert.CodeAsync(tooMuch, HttpStatusCode.Conflict, "amount_too_large");
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        Assert.Equal(10m, Assert.Single(await http.ChargesAsync(reference)).Refunded);
    }

    [Fact]
    public async Task The_same_key_again_returns_the_first_refund_and_gives_back_nothing_more()
    {
        using var http = provider.Client();
        var charge = await http.ChargedAsync(ProviderApi.Body(ProviderApi.NewReference(), amount: 10m));
        var key = Guid.NewGuid().ToString();

        using var first = await http.RefundAsync(charge.Id, 4m, key);
        using var again = await http.RefundAsync(charge.Id, 4m, key);
        using var other = await http.RefundAsync(charge.Id, 5m, key);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.Content.ReadFromJsonAsync<RefundDto>(), await again.Content.ReadFromJsonAsync<RefundDto>());
        await ProblemAssert.StatusAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(4m, (await http.GetFromJsonAsync<ChargeDto>($"/v1/charges/{charge.Id}"))!.Refunded);
    }

    [Fact]
    public async Task Refunds_at_the_same_moment_never_give_back_more_than_the_charge()
    {
        using var http = provider.Client();
        var charge = await http.ChargedAsync(ProviderApi.Body(ProviderApi.NewReference(), amount: 10m));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var client = provider.Client();
            using var response = await client.RefundAsync(charge.Id, 3m);
            return response.StatusCode;
        }));

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(9m, (await http.GetFromJsonAsync<ChargeDto>($"/v1/charges/{charge.Id}"))!.Refunded);
    }

    [Fact]
    public async Task A_declined_charge_cannot_be_refunded()
    {
        using var http = provider.Client();
        var reference = ProviderApi.NewReference();
        using var declined = await http.ChargeAsync(ProviderApi.Body(reference, ProviderApi.Declined));
        var id = (await ProblemAssert.CodeAsync(declined, HttpStatusCode.PaymentRequired, "card_declined")).Extension<string>("charge");

        using var response = await http.RefundAsync(id, amount: null);

        await ProblemAssert.CodeAsync(response, HttpStatusCode.Conflict, "not_refundable");
        Assert.Equal(0m, Assert.Single(await http.ChargesAsync(reference)).Refunded);
    }

    [Fact]
    public async Task An_unknown_charge_is_404()
    {
        using var http = provider.Client();

        using var response = await http.RefundAsync("ch_000000000000000000000000", 1m);

        await ProblemAssert.CodeAsync(response, HttpStatusCode.NotFound, "no_such_charge");
    }

    [Theory]
    [InlineData(null, 1.0, "charge")]
    [InlineData("ch_x", 1.0, "charge")]
    [InlineData("ch_00000000000000000000000\u0000", 1.0, "charge")]
    [InlineData("ch_000000000000000000000000", 0.0, "amount")]
    [InlineData("ch_000000000000000000000000", 1.001, "amount")]
    public async Task A_bad_refund_is_400_naming_the_field(string? charge, double amount, string field)
    {
        using var http = provider.Client();

        using var response = await http.RefundAsync(charge!, (decimal)amount);

        await ProblemAssert.FieldErrorsAsync(response, field);
    }

    [Fact]
    public async Task A_refund_without_a_key_is_400()
    {
        using var http = provider.Client();
        var charge = await http.ChargedAsync(ProviderApi.Body(ProviderApi.NewReference()));

        using var response = await http.SendAsync(ProviderApi.Post("/v1/refunds", new { charge = charge.Id }, key: null));

        await ProblemAssert.FieldErrorsAsync(response, "Idempotency-Key");
        Assert.Equal(0m, (await http.GetFromJsonAsync<ChargeDto>($"/v1/charges/{charge.Id}"))!.Refunded);
    }
}
