using System.Net;
using System.Net.Http.Json;

namespace TTMall.PaymentProvider.Tests;

/// <summary>Every call but the health probes needs the API key; without it nothing is charged.</summary>
[Collection(ProviderCollection.Name)]
public class AuthenticationTests(ProviderFixture provider)
{
    public static TheoryData<string, string> BadKeys => new()
    {
        { "no key", "" },
        { "wrong key", "sk_test_wrong_key_0123456789" },
        { "key with a suffix", "{key}x" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Without_the_right_key_every_call_is_401_and_charges_nothing(string why, string key)
    {
        using var http = provider.Client(key.Replace("{key}", provider.ApiKey, StringComparison.Ordinal));
        var reference = ProviderApi.NewReference();

        using var charge = await http.ChargeAsync(ProviderApi.Body(reference));
        using var refund = await http.RefundAsync("ch_000000000000000000000000", 1m);
        using var list = await http.GetAsync($"/v1/charges?reference={reference}");
        using var one = await http.GetAsync("/v1/charges/ch_000000000000000000000000");
        using var latency = await http.PutAsJsonAsync("/v1/sandbox/latency", new { milliseconds = 1000 });

        foreach (var response in new[] { charge, refund, list, one, latency })
        {
            await ProblemAssert.StatusAsync(response, HttpStatusCode.Unauthorized);
        }

        using var authorized = provider.Client();
        Assert.Empty(await authorized.ChargesAsync(reference));
        Assert.Equal(0, (await authorized.GetFromJsonAsync<LatencyDto>("/v1/sandbox/latency"))!.Milliseconds);
        Assert.NotNull(why);
    }

    [Fact]
    public async Task A_key_sent_as_basic_credentials_is_401()
    {
        using var http = provider.Client("");
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Basic {provider.ApiKey}");

        using var response = await http.ChargeAsync(ProviderApi.Body(ProviderApi.NewReference()));

        await ProblemAssert.StatusAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_probes_need_no_key(string path)
    {
        using var http = provider.Client("");

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
