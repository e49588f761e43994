using System.Net;
using TTMall.PaymentProvider.Data;
using TTMall.ServiceDefaults.Validation;
using Xunit.Abstractions;

namespace TTMall.PaymentProvider.Tests;

/// <summary>A few hundred generated bad requests to every endpoint of the OpenAPI document: none is a 5xx, and the provider stays up.</summary>
[Collection(ProviderCollection.Name)]
public sealed class FuzzTests(ProviderFixture provider, ITestOutputHelper output)
{
    [Fact]
    public async Task Generated_bad_requests_get_no_5xx_and_the_provider_keeps_serving()
    {
        // A database of its own: a request that happens to be good charges or turns on latency, which other tests would see.
        await using var service = new MallServiceHost<ProviderDbContext>(await provider.NewDatabaseAsync());

        // The one 5xx the provider answers on purpose is the flaky test card's 503, which the fuzzer's bodies never carry.
        await ServiceFuzzing.AssertNoServerErrorsAsync("provider", service.BaseAddress, () => provider.ApiKey, RequestBodies.DefaultMaxBytes, output);

        using var http = service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", provider.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/sandbox/latency")).StatusCode);
    }
}
