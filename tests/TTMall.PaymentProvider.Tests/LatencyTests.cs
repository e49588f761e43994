using System.Net;
using System.Net.Http.Json;

namespace TTMall.PaymentProvider.Tests;

/// <summary>
/// The slow-network switch makes the case the checkout must survive: the provider charged, the caller timed out. The
/// charge exists, and the caller's retry with the same key gets it instead of a second one.
/// </summary>
[Collection(ProviderCollection.Name)]
public class LatencyTests(ProviderFixture provider)
{
    [Fact]
    public async Task A_caller_that_times_out_finds_its_charge_made_once_when_it_retries_with_the_same_key()
    {
        using var http = provider.Client();
        using var impatient = provider.Client(timeout: TimeSpan.FromSeconds(1));
        var reference = ProviderApi.NewReference();
        var key = Guid.NewGuid().ToString();
        await http.SetLatencyAsync(3000);
        try
        {
            await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.ChargeAsync(ProviderApi.Body(reference), key));

            // Made before the wait; on a busy machine the caller may have given up even before it was made.
            var made = await Eventually.FoundAsync(
                async () => (await http.ChargesAsync(reference)).SingleOrDefault(), TimeSpan.FromSeconds(5), "the charge the caller gave up on is made");
            // Still slow: a repeat records nothing, so it is answered at once.
            var retried = await impatient.ChargedAsync(ProviderApi.Body(reference), key);

            Assert.Equal(made.Id, retried.Id);
            Assert.Single(await http.ChargesAsync(reference));
        }
        finally
        {
            await http.SetLatencyAsync(0);
        }
    }

    [Fact]
    public async Task Latency_is_read_back_and_can_be_turned_off()
    {
        using var http = provider.Client();

        await http.SetLatencyAsync(250);
        var on = await http.GetFromJsonAsync<LatencyDto>("/v1/sandbox/latency");
        await http.SetLatencyAsync(0);
        var off = await http.GetFromJsonAsync<LatencyDto>("/v1/sandbox/latency");

        Assert.Equal((250, 0), (on!.Milliseconds, off!.Milliseconds));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(60_001)]
    [InlineData(null)]
    public async Task Latency_out_of_bounds_is_400(int? milliseconds)
    {
        using var http = provider.Client();

        using var response = await http.PutAsJsonAsync("/v1/sandbox/latency", new { milliseconds });

        await ProblemAssert.FieldErrorsAsync(response, "milliseconds");
        Assert.Equal(0, (await http.GetFromJsonAsync<LatencyDto>("/v1/sandbox/latency"))!.Milliseconds);
    }
}
