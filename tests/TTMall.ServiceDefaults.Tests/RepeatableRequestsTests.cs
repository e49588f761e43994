using Microsoft.AspNetCore.Http;
using TTMall.ServiceDefaults.Http;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>The one rule for which requests may be sent again, the same for a service's HttpClient and for the gateway.</summary>
public sealed class RepeatableRequestsTests
{
    [Theory]
    [InlineData("GET", false, true)]
    [InlineData("HEAD", false, true)]
    [InlineData("OPTIONS", false, true)]
    [InlineData("TRACE", false, true)]
    [InlineData("PUT", false, true)]
    [InlineData("DELETE", false, true)]
    [InlineData("POST", false, false)]
    [InlineData("PATCH", false, false)]
    [InlineData("POST", true, true)]
    [InlineData("PATCH", true, true)]
    public void Idempotent_methods_and_requests_with_an_Idempotency_Key_may_be_repeated_whichever_side_asks(string method, bool keyed, bool repeatable)
    {
        using var outgoing = new HttpRequestMessage(new HttpMethod(method), "http://products/api/products");
        var incoming = new DefaultHttpContext().Request;
        incoming.Method = method;
        if (keyed)
        {
            outgoing.Headers.Add("Idempotency-Key", "order-1");
            incoming.Headers["Idempotency-Key"] = "order-1";
        }

        Assert.Equal(repeatable, RepeatableRequests.MayRepeat(outgoing));
        Assert.Equal(repeatable, RepeatableRequests.MayRepeat(incoming));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("head", true)]
    [InlineData("PUT", false)]
    [InlineData("DELETE", false)]
    [InlineData("POST", false)]
    public void Only_GET_and_HEAD_are_reads_that_may_be_abandoned_unanswered(string method, bool read) =>
        Assert.Equal(read, RepeatableRequests.IsRead(method));

    [Fact]
    public void No_request_is_no_repeat() => Assert.False(RepeatableRequests.MayRepeat((HttpRequestMessage?)null));
}
