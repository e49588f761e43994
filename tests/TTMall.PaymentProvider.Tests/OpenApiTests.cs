using System.Net;

namespace TTMall.PaymentProvider.Tests;

[Collection(ProviderCollection.Name)]
public class OpenApiTests(ProviderFixture provider)
{
    [Fact]
    public async Task The_openapi_document_lists_every_operation()
    {
        using var http = provider.Client("");

        using var response = await http.GetAsync("/openapi/v1.json");
        var document = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(["CreateCharge", "ListCharges", "GetCharge", "CreateRefund", "GetLatency", "SetLatency"],
            operation => Assert.Contains($"\"operationId\": \"{operation}\"", document, StringComparison.Ordinal));
    }
}
