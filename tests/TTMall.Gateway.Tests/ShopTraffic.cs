using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace TTMall.Gateway.Tests;

/// <summary>The kinds of request in shop traffic, as <see cref="Exchange.Kind"/> names them.</summary>
public static class RequestKind
{
    /// <summary>GET /api/products/{id}: 200 expected.</summary>
    public const string Get = "GET";

    /// <summary>POST /api/products/{id}/reviews as a new user, with an Idempotency-Key: 201 expected.</summary>
    public const string IdempotentPost = "POST with Idempotency-Key";

    /// <summary>The same POST without an Idempotency-Key: the gateway may never repeat it.</summary>
    public const string PlainPost = "POST";
}

/// <summary>How many loops of each kind, and how long each loop pauses between its requests.</summary>
public sealed record TrafficMix(int Gets = 3, int IdempotentPosts = 1, int PlainPosts = 0)
{
    /// <summary>
    /// Steady, not flat out: about (loops × 1000 / pause) requests a second at most, well under the gateways' per-client
    /// rate limit (every request comes from 127.0.0.1), and leaving the two cores to the processes under test.
    /// </summary>
    public TimeSpan Pause { get; init; } = TimeSpan.FromMilliseconds(10);
}

/// <summary>
/// Steady shop <see cref="Traffic"/> through a client: product detail GETs, and reviews POSTed each by a new user (so
/// each is answered 201), with and without an Idempotency-Key, over the products given in turn.
/// </summary>
public static class ShopTraffic
{
    public static Traffic Start(HttpClient http, IReadOnlyList<int> productIds, TrafficMix mix)
    {
        var next = 0;
        int NextProduct() => productIds[(Interlocked.Increment(ref next) & int.MaxValue) % productIds.Count];

        var loops = Enumerable.Repeat(new TrafficLoop(RequestKind.Get, () => new HttpRequestMessage(HttpMethod.Get, $"api/products/{NextProduct()}")), mix.Gets)
            .Concat(Enumerable.Repeat(new TrafficLoop(RequestKind.IdempotentPost, () => Review(NextProduct(), idempotent: true), HttpStatusCode.Created), mix.IdempotentPosts))
            .Concat(Enumerable.Repeat(new TrafficLoop(RequestKind.PlainPost, () => Review(NextProduct(), idempotent: false), HttpStatusCode.Created), mix.PlainPosts));
        return Traffic.Start(http, loops, mix.Pause);
    }

    private static HttpRequestMessage Review(int productId, bool idempotent)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/products/{productId}/reviews")
        {
            Content = JsonContent.Create(new { rating = 4, text = "Arrived quickly, works as described." }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(TestTokens.NewUser("shopper")));
        if (idempotent)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        }

        return request;
    }
}
